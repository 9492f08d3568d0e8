"""Fixtures for mail tests: raw messages from tests/mail/fixtures and a ticket to reply to."""

from __future__ import annotations

from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
# The Message-ID our notification carried, which the reply fixtures answer.
OUR_MESSAGE_ID = "<n1.7f3c2a9d1e4b@example.com>"


def read_fixture(name: str, *, ticket=None) -> bytes:
    raw = (FIXTURES / name).read_bytes()
    if ticket is not None:  # fixtures say HD-1000 / ticket-1000 where the test's ticket goes
        raw = raw.replace(b"HD-1000", ticket.reference.encode())
        raw = raw.replace(b"ticket-1000@", f"ticket-{ticket.pk}@".encode())
    return raw


@pytest.fixture(autouse=True)
def _mail_settings(settings):
    settings.DEFAULT_FROM_EMAIL = "support@example.com"
    settings.MAIL_OWN_ADDRESSES = []
    settings.MAIL_INBOUND_SECRET = "inbound-secret-for-tests"


@pytest.fixture
def emailed_ticket(db):
    """A ticket opened by mail (Casey, Robin in Cc) whose acknowledgement we 'sent'."""
    from mail.services import ingest_email
    from tickets.models import Notification

    inbound = ingest_email(read_fixture("gmail_new_multipart_alternative.eml"), source="command")
    ticket = inbound.ticket
    Notification.objects.filter(ticket=ticket).update(
        email_message_id=OUR_MESSAGE_ID, status="sent"
    )
    return ticket
