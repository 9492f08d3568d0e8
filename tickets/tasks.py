"""Ticket tasks: send outbox notifications, and sweep what the broker or SMTP left behind."""

from __future__ import annotations

from celery import shared_task

from .services.notify import deliver_notification, pending_notification_ids


@shared_task(name="tickets.tasks.send_notification", acks_late=True)
def send_notification(notification_id: int) -> bool:
    return deliver_notification(notification_id)


@shared_task(name="tickets.tasks.sweep_outbox", acks_late=True)
def sweep_outbox() -> int:
    """Run by beat every minute: send notifications still pending after a minute."""
    sent = 0
    for notification_id in pending_notification_ids():
        sent += deliver_notification(notification_id)
    return sent
