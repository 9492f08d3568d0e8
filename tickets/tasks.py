"""Ticket tasks: send outbox notifications, and sweep what the broker or SMTP left behind."""

from __future__ import annotations

from celery import shared_task

from helpdesk.celery import send_task_safely

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


@shared_task(name="tickets.tasks.check_slas", acks_late=True)
def check_slas() -> int:
    """Run by beat every minute: SLA warnings, breaches and escalations that are due."""
    from .services.sla_check import check_sla_deadlines

    result = check_sla_deadlines()
    return len(result.warnings) + len(result.breaches)


@shared_task(name="tickets.tasks.route_waiting_tickets", acks_late=True)
def route_waiting_tickets(queue_ids: list[int] | None = None) -> int:
    """Assign waiting tickets (an agent came online, or beat's minute sweep)."""
    from .services.routing import route_waiting

    return route_waiting(queue_ids=queue_ids)


@shared_task(name="tickets.tasks.mark_idle_agents_away", acks_late=True)
def mark_idle_agents_away() -> int:
    from .services.routing import mark_idle_agents_away as mark

    return mark()


@shared_task(name="tickets.tasks.deliver_webhook", acks_late=True)
def deliver_webhook(delivery_id: int) -> bool:
    from .services.webhooks import deliver_webhook as deliver

    return deliver(delivery_id)


@shared_task(name="tickets.tasks.sweep_webhooks", acks_late=True)
def sweep_webhooks() -> int:
    """Run by beat every minute: queue the deliveries whose backoff has passed, one task
    each, so that workers send them side by side (a slow receiver delays no other)."""
    from .services.webhooks import due_delivery_ids

    return sum(send_task_safely(deliver_webhook, (pk,)) for pk in due_delivery_ids())


@shared_task(name="tickets.tasks.run_scheduled_automations", acks_late=True)
def run_scheduled_automations() -> int:
    from .services.automations import run_scheduled

    return sum(run_scheduled().values())
