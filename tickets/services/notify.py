"""Ticket email notifications through a durable outbox: rows written with the change, mail
sent after commit by a task, and swept again if the broker or the mail server was down."""

from __future__ import annotations

import logging
import uuid
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import override

from helpdesk.celery import enqueue_on_commit

from ..models import Message, Notification, OutboxStatus, Ticket
from ..tokens import ticket_link

logger = logging.getLogger(__name__)
MAX_ATTEMPTS = 8
# Automatic mail says so (RFC 3834), so that auto-responders do not answer it.
AUTOMATIC_KINDS = {"created", "solved", "link", "assigned", "sla_breached"}


def _recipients(ticket: Ticket, message: Message | None, event: str) -> list[tuple[str, object]]:
    requester = ticket.requester
    if event in ("created", "agent_replied", "solved"):
        if event == "created" and message is not None and message.author_user_id:
            return []  # an agent opened it on the customer's behalf and wrote to them directly
        return [(requester.email, None)]
    if event in ("customer_replied", "assigned") and ticket.assignee_id:
        return [(ticket.assignee.email, ticket.assignee)]
    return []


def queue_notifications(*, ticket: Ticket, message: Message | None, event: str) -> None:
    """Write outbox rows for this event and send them once the transaction commits."""
    for email, user in _recipients(ticket, message, event):
        language = (user.language if user else ticket.requester.language) or ticket.language
        notification = Notification.objects.create(
            kind=event, ticket=ticket, message=message, recipient_email=email,
            recipient_user=user, language=language or settings.LANGUAGE_CODE,
        )  # fmt: skip
        from ..tasks import send_notification

        enqueue_on_commit(send_notification, notification.pk)


def _domain() -> str:
    return settings.DEFAULT_FROM_EMAIL.rsplit("@", 1)[-1].strip(">") or "helpdesk.local"


def thread_id(ticket: Ticket) -> str:
    """The Message-ID every mail about this ticket refers to, so mail clients thread them."""
    return f"<ticket-{ticket.pk}@{_domain()}>"


def _render(notification: Notification) -> EmailMultiAlternatives:
    ticket = notification.ticket
    with override(notification.language):
        context = {
            "ticket": ticket,
            "message": notification.message,
            "recipient_is_agent": notification.recipient_user_id is not None,
            "link": (
                f"{settings.SITE_URL}{ticket.get_absolute_url()}"
                if notification.recipient_user_id
                else ticket_link(
                    ticket_id=ticket.pk,
                    contact_id=ticket.requester_id,
                    language=notification.language,
                )
            ),
            "site_name": settings.SITE_NAME,
        }
        base = f"emails/ticket_{notification.kind}"
        subject = " ".join(render_to_string(f"{base}_subject.txt", context).split())
        text = render_to_string(f"{base}_body.txt", context)
        html = render_to_string(f"{base}_body.html", context)
    message_id = f"<n{notification.pk}.{uuid.uuid4().hex[:12]}@{_domain()}>"
    headers = {"Message-ID": message_id, "In-Reply-To": thread_id(ticket),
               "References": thread_id(ticket), "X-Helpdesk-Ticket": ticket.reference}  # fmt: skip
    if notification.kind in AUTOMATIC_KINDS:
        headers["Auto-Submitted"] = "auto-generated"
    email = EmailMultiAlternatives(
        subject=f"[{ticket.reference}] {subject}", body=text, to=[notification.recipient_email],
        from_email=settings.DEFAULT_FROM_EMAIL, headers=headers,
    )  # fmt: skip
    email.attach_alternative(html, "text/html")
    return email


def deliver_notification(notification_id: int) -> bool:
    """Send one pending notification; idempotent (a sent one is never sent again)."""
    with transaction.atomic():
        notification = (
            # of=self: lock the outbox row only (PostgreSQL cannot lock the nullable side of
            # the outer joins that select_related adds).
            Notification.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("ticket__requester", "ticket__assignee", "message")
            .filter(pk=notification_id, status=OutboxStatus.PENDING)
            .first()
        )
        if notification is None:
            return False
        email = _render(notification)
        try:
            email.send()
        except Exception as exc:  # SMTP down: keep it pending for the sweep
            notification.attempts += 1
            notification.last_error = f"{type(exc).__name__}: {exc}"[:2000]
            if notification.attempts >= MAX_ATTEMPTS:
                notification.status = OutboxStatus.FAILED
            notification.save(update_fields=["attempts", "last_error", "status"])
            logger.warning("notification %s not sent: %s", notification_id, exc)
            return False
        notification.status = OutboxStatus.SENT
        notification.sent_at = timezone.now()
        notification.email_message_id = email.extra_headers["Message-ID"]
        notification.attempts += 1
        notification.save(update_fields=["status", "sent_at", "email_message_id", "attempts"])
        if notification.message_id and notification.kind == "agent_replied":
            Message.objects.filter(pk=notification.message_id).update(
                email_message_id=notification.email_message_id
            )
    return True


def pending_notification_ids(older_than: timedelta = timedelta(seconds=60)) -> list[int]:
    cutoff = timezone.now() - older_than
    return list(
        Notification.objects.filter(status=OutboxStatus.PENDING, created_at__lt=cutoff)
        .order_by("created_at")
        .values_list("pk", flat=True)[:500]
    )
