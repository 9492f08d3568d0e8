"""Customer portal writes: magic-link access kept in the session, fresh links, solving."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from helpdesk.celery import enqueue_on_commit

from ..models import Notification, Ticket

SESSION_KEY = "portal_ticket_grants"
MAX_GRANTS = 20
# One fresh link per ticket per few minutes: the form is public, so it must not become a way to
# flood someone's inbox.
LINK_RESEND_INTERVAL = timedelta(minutes=5)
LINK_KIND = "link"


def grant_ticket_access(session, *, ticket: Ticket) -> None:
    """Remember in the session that this browser opened a valid link for this ticket."""
    grants = {k: v for k, v in session.get(SESSION_KEY, {}).items() if k != str(ticket.pk)}
    grants[str(ticket.pk)] = ticket.requester_id
    # Keep the newest few: JSON sessions keep insertion order.
    session[SESSION_KEY] = dict(list(grants.items())[-MAX_GRANTS:])


def granted_ticket_ids(session) -> list[int]:
    return [int(pk) for pk in session.get(SESSION_KEY, {})]


def has_ticket_access(session, *, ticket: Ticket) -> bool:
    """True when the link was for this ticket and the requester has not changed since."""
    return session.get(SESSION_KEY, {}).get(str(ticket.pk)) == ticket.requester_id


def send_fresh_link(*, email: str, reference: str) -> bool:
    """Queue a new link email when the address is the ticket's requester; silent otherwise.

    The caller answers the same way whatever this returns, so nobody learns which
    addresses or references exist.
    """
    ticket = (
        Ticket.objects.for_reference(reference.strip())
        .filter(requester__email__iexact=email.strip())
        .select_related("requester")
        .first()
    )
    if ticket is None:
        return False
    recent = timezone.now() - LINK_RESEND_INTERVAL
    if Notification.objects.filter(ticket=ticket, kind=LINK_KIND, created_at__gte=recent).exists():
        return False
    notification = Notification.objects.create(
        kind=LINK_KIND,
        ticket=ticket,
        recipient_email=ticket.requester.email,
        language=ticket.requester.language or ticket.language or settings.LANGUAGE_CODE,
    )
    from ..tasks import send_notification

    enqueue_on_commit(send_notification, notification.pk)
    return True
