"""`manage.py ingest_email < message.eml`, as an MTA pipes mail to it."""

from __future__ import annotations

import io
import sys

import pytest
from django.core.management import CommandError, call_command

from tests.mail.conftest import FIXTURES
from tickets.models import Ticket

pytestmark = pytest.mark.django_db


def run(raw: bytes) -> str:
    out = io.StringIO()
    stdin = sys.stdin
    sys.stdin = io.TextIOWrapper(io.BytesIO(raw))
    try:
        call_command("ingest_email", stdout=out)
    finally:
        sys.stdin = stdin
    return out.getvalue()


def test_a_message_on_stdin_opens_a_ticket():
    output = run((FIXTURES / "charset_shift_jis.eml").read_bytes())
    ticket = Ticket.objects.get()
    assert output.strip() == f"ticket_created {ticket.reference}"
    assert ticket.subject == "商品が届きません"


def test_the_file_option_reads_a_file_and_an_auto_reply_says_why_it_was_ignored():
    out = io.StringIO()
    call_command("ingest_email", file=str(FIXTURES / "bounce_dsn.eml"), stdout=out)
    assert out.getvalue().startswith("ignored (Auto-Submitted")
    assert not Ticket.objects.exists()


def test_bad_input_exits_with_a_data_error_so_the_mta_bounces_it():
    with pytest.raises(CommandError) as error:
        run(b"")
    assert error.value.returncode == 65
