"""Signed, expiring, single-purpose links: a customer opens their ticket without a password."""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils.translation import override

# The salt makes a token good for this one purpose: a signed value from anywhere else in the
# project (a password reset, a widget token) is never accepted here.
TICKET_LINK_SALT = "tickets.view-link"
TICKET_LINK_MAX_AGE = 30 * 24 * 3600


def make_ticket_token(*, ticket_id: int, contact_id: int) -> str:
    return signing.dumps({"t": ticket_id, "c": contact_id}, salt=TICKET_LINK_SALT, compress=True)


def read_ticket_token(token: str) -> tuple[int, int] | None:
    """(ticket id, contact id) for a valid, unexpired token; None otherwise."""
    try:
        data = signing.loads(token, salt=TICKET_LINK_SALT, max_age=TICKET_LINK_MAX_AGE)
    except signing.BadSignature:  # includes SignatureExpired
        return None
    if not isinstance(data, dict) or not {"t", "c"} <= data.keys():
        return None
    return int(data["t"]), int(data["c"])


def ticket_link(*, ticket_id: int, contact_id: int, language: str) -> str:
    """Absolute URL of the customer's view of a ticket, in their language."""
    token = make_ticket_token(ticket_id=ticket_id, contact_id=contact_id)
    with override(language or settings.LANGUAGE_CODE):
        path = reverse("portal-ticket-link", kwargs={"token": token})
    return f"{settings.SITE_URL}{path}"
