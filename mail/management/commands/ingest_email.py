"""`manage.py ingest_email < message.eml`: deliver one message piped from an MTA."""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand, CommandError

from mail.services import MailError, ingest_email

# sysexits.h: the MTA bounces on EX_DATAERR and retries later on EX_TEMPFAIL.
EX_DATAERR = 65
EX_TEMPFAIL = 75


class Command(BaseCommand):
    help = "Read one RFC 822 message from standard input (or --file) and turn it into a ticket."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--file", help="read the message from this file instead of stdin")

    def handle(self, *args, **options) -> None:
        if options["file"]:
            with open(options["file"], "rb") as handle:
                raw = handle.read()
        else:
            raw = sys.stdin.buffer.read()
        try:
            inbound = ingest_email(raw, source="command")
        except MailError as exc:
            raise CommandError(str(exc), returncode=EX_DATAERR) from exc
        except Exception as exc:  # database down: the MTA keeps the message and retries
            raise CommandError(f"temporary failure: {exc}", returncode=EX_TEMPFAIL) from exc
        ticket = f" {inbound.ticket_reference}" if inbound.ticket_id else ""
        reason = f" ({inbound.reason})" if inbound.reason else ""
        self.stdout.write(f"{inbound.status}{ticket}{reason}")
