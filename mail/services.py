"""Inbound mail: store the raw message first, then turn it into a ticket or a reply."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import F, QuerySet
from django.utils import timezone

from customers.models import Contact
from customers.services import get_or_create_contact
from helpdesk.events import record_event
from tickets.models import Channel, Message, Status, Ticket
from tickets.services import add_message, create_ticket
from tickets.services.core import (
    BLOCKED_TYPE,
    MAX_BODY_CHARS,
    TOO_LARGE,
    attachment_problem,
)

from .matching import find_ticket, is_own_address, may_reply_by_mail
from .models import InboundEmail, InboundStatus, Mailbox, TicketParticipant
from .parsing import Attachment, ParsedEmail, parse_email, parse_headers
from .quotes import strip_reply, strip_signature

logger = logging.getLogger(__name__)
MAX_ATTEMPTS = 5
MAX_PARTICIPANTS = 20


class MailError(Exception):
    """The message cannot be accepted (too large, not an email); the text is safe to show."""


def receive_email(
    raw: bytes, *, source: str, mailbox: Mailbox | None = None
) -> tuple[InboundEmail, bool]:
    """Store a raw message once (by Message-ID); returns it and whether it is new."""
    if not raw or not raw.strip():
        raise MailError("The message is empty.")
    if len(raw) > settings.MAIL_MAX_MESSAGE_BYTES:
        raise MailError(f"The message is larger than {settings.MAIL_MAX_MESSAGE_BYTES} bytes.")
    parsed = parse_headers(raw)
    if not parsed.from_address and not parsed.message_id:
        raise MailError("This is not an RFC 822 message (no From or Message-ID header).")
    key = parsed.message_id or f"sha256:{parsed.raw_sha256}"
    existing = InboundEmail.objects.filter(dedupe_key=key).first()
    if existing is not None:
        return existing, False
    inbound = InboundEmail(
        dedupe_key=key,
        rfc_message_id=parsed.message_id,
        source=source,
        mailbox=mailbox,
        size=len(raw),
        from_address=parsed.from_address[:254],
        subject=parsed.subject[:250],
    )
    inbound.raw.save("message.eml", ContentFile(raw), save=False)
    try:
        with transaction.atomic():
            inbound.save()
    except IntegrityError:  # the same message arrived concurrently (IMAP and HTTP)
        inbound.raw.delete(save=False)
        return InboundEmail.objects.get(dedupe_key=key), False
    return inbound, True


def process_email(inbound_id: int) -> InboundEmail | None:
    """Turn a stored message into a ticket or a reply; idempotent, retried on failure."""
    try:
        with transaction.atomic():
            inbound = (
                InboundEmail.objects.select_for_update()
                .filter(pk=inbound_id, status__in=[InboundStatus.PENDING, InboundStatus.FAILED])
                .first()
            )
            if inbound is None or inbound.attempts >= MAX_ATTEMPTS:
                return inbound
            with inbound.raw.open("rb") as handle:
                parsed = parse_email(handle.read())
            _route(inbound, parsed)
            inbound.processed_at = timezone.now()
            inbound.attempts += 1
            inbound.save()
            return inbound
    except Exception as exc:
        logger.exception("inbound email %s failed", inbound_id)
        InboundEmail.objects.filter(pk=inbound_id).update(
            status=InboundStatus.FAILED,
            reason=f"{type(exc).__name__}: {exc}"[:2000],
            attempts=F("attempts") + 1,
        )
        return InboundEmail.objects.filter(pk=inbound_id).first()


def retry_failed_emails(inbounds: QuerySet[InboundEmail]) -> int:
    """Process failed messages again with a fresh attempt budget (the admin's retry)."""
    done = 0
    for inbound_id in inbounds.filter(status=InboundStatus.FAILED).values_list("pk", flat=True):
        InboundEmail.objects.filter(pk=inbound_id).update(attempts=0)
        done += process_email(inbound_id) is not None
    return done


def _ignore(inbound: InboundEmail, reason: str) -> None:
    inbound.status, inbound.reason = InboundStatus.IGNORED, reason
    logger.info("inbound email %s ignored: %s", inbound.pk, reason)


def _sender_problem(parsed: ParsedEmail) -> str:
    if parsed.is_automatic:
        return parsed.auto_reason
    try:
        validate_email(parsed.from_address)
    except ValidationError:
        return "no valid sender address"
    if is_own_address(parsed.from_address):
        return "sent by the helpdesk itself (mail loop)"
    return ""


def _route(inbound: InboundEmail, parsed: ParsedEmail) -> None:
    """Decide: ignore (machines, loops), reply on a ticket, or open a new ticket."""
    problem = _sender_problem(parsed)
    if problem:
        return _ignore(inbound, problem)
    # Mail always speaks for a contact, never for a user account: a forged From of an
    # agent's address makes a customer message at most.
    contact = get_or_create_contact(email=parsed.from_address, name=parsed.from_name)
    inbound.contact = contact
    ticket = find_ticket(parsed)
    if parsed.is_dmarc_failed and ticket is not None:
        # The sender's domain says this From is forged: it may not speak on their ticket.
        inbound.reason = f"matched {ticket.reference}, but DMARC failed: opened a new ticket"
        ticket = None
    if ticket is not None and ticket.status != Status.CLOSED and may_reply_by_mail(ticket, contact):
        message = _add_reply(ticket, contact, parsed)
        inbound.status = InboundStatus.REPLY_ADDED
    else:
        if ticket is not None:
            inbound.reason = f"matched {ticket.reference}, but opened a new ticket: " + (
                "it is closed" if ticket.status == Status.CLOSED else "sender not on the ticket"
            )
        message = _open_ticket(contact, parsed)
        inbound.status = InboundStatus.TICKET_CREATED
    inbound.ticket_id, inbound.message = message.ticket_id, message
    _add_participants(message.ticket, parsed, contact)
    return None


def _files(attachments: list[Attachment]) -> tuple[list[SimpleUploadedFile], list[str]]:
    """Attachments the ticket can keep, and a note for each it cannot."""
    kept, notes = [], []
    for item in attachments:
        problem = attachment_problem(item.filename, len(item.content))
        if problem == TOO_LARGE:
            notes.append(f"[Attachment “{item.filename}” was too large to keep.]")
        elif problem == BLOCKED_TYPE:
            notes.append(f"[Attachment “{item.filename}” was not kept: file type not allowed.]")
        else:
            kept.append(SimpleUploadedFile(item.filename, item.content, item.content_type))
    return kept, notes


def _body(text: str, notes: list[str], has_files: bool) -> str:
    body = "\n\n".join([part for part in [text.strip(), *notes] if part])
    if not body:
        body = "[This email had attachments only.]" if has_files else "[This email was empty.]"
    return body[:MAX_BODY_CHARS]


def _open_ticket(contact: Contact, parsed: ParsedEmail) -> Message:
    files, notes = _files(parsed.attachments)
    ticket = create_ticket(
        subject=parsed.subject or "(no subject)",
        requester=contact,
        channel=Channel.EMAIL,
        body=_body(strip_signature(parsed.text), notes, bool(files)),
        files=files,
        language=contact.language,
        body_format="text",  # mail is plain text, not Markdown
    )
    message = ticket.opening_message
    record_event(
        kind="email.received", contact_id=contact.pk, data={"ticket": ticket.pk, "new_ticket": True}
    )
    return message


def _add_reply(ticket: Ticket, contact: Contact, parsed: ParsedEmail) -> Message:
    files, notes = _files(parsed.attachments)
    message = add_message(
        ticket=ticket,
        body=_body(strip_reply(parsed.text), notes, bool(files)),
        author_contact=contact,
        files=files,
        channel=Channel.EMAIL,
        body_format="text",
    )
    record_event(
        kind="email.received",
        contact_id=contact.pk,
        data={"ticket": ticket.pk, "new_ticket": False},
    )
    return message


def _add_participants(ticket: Ticket, parsed: ParsedEmail, sender: Contact) -> None:
    """People the requester copied become participants; a participant cannot add others."""
    if sender.pk != ticket.requester_id:
        return
    addresses = [a for a in dict.fromkeys([*parsed.to, *parsed.cc]) if not is_own_address(a)]
    for address in addresses[:MAX_PARTICIPANTS]:
        if address == sender.email.lower():
            continue
        try:
            validate_email(address)
        except ValidationError:
            continue
        contact = get_or_create_contact(email=address)
        TicketParticipant.objects.get_or_create(ticket=ticket, contact=contact)


def ingest_email(raw: bytes, *, source: str, mailbox: Mailbox | None = None) -> InboundEmail:
    """Store and process a message now (the command and the IMAP poller)."""
    inbound, is_new = receive_email(raw, source=source, mailbox=mailbox)
    if is_new or inbound.status == InboundStatus.PENDING:
        inbound = process_email(inbound.pk) or inbound
    return inbound


def retryable_ids(limit: int = 200) -> list[int]:
    """Messages a crash or outage left unprocessed, for the periodic sweep."""
    cutoff = timezone.now() - timedelta(minutes=2)
    return list(
        InboundEmail.objects.filter(
            status__in=[InboundStatus.PENDING, InboundStatus.FAILED],
            attempts__lt=MAX_ATTEMPTS,
            received_at__lt=cutoff,
        )
        .order_by("received_at")
        .values_list("pk", flat=True)[:limit]
    )
