"""What follows a ticket write: SLA clocks, assignment events, webhooks, automation triggers.

The core services call these inside their transaction, after the ticket row is saved.
"""

from __future__ import annotations

from helpdesk.celery import enqueue_on_commit

from ..models import Message, MessageKind, Ticket
from .automations import run_triggers
from .notify import queue_notifications
from .routing import announce_assignment
from .sla import start_sla, sync_sla
from .webhooks import queue_webhooks


def after_create(ticket: Ticket, message: Message) -> bool:
    """SLA, webhooks, the routing announcement and "created" automations; True when an
    automation changed the ticket (the caller's copy is then out of date)."""
    start_sla(ticket, ticket.requester.organisation_id)
    queue_webhooks("ticket.created", ticket, {"message": message.pk})
    if ticket.assignee_id:
        announce_assignment(ticket, by="routing")
        queue_notifications(ticket=ticket, message=None, event="assigned")
    return bool(run_triggers("created", ticket, message=message))


def after_message(
    ticket: Ticket, message: Message, *, previous_status: str, by_agent: bool
) -> None:
    is_public = message.kind == MessageKind.PUBLIC
    from_customer = is_public and not by_agent and message.author_contact_id is not None
    sync_sla(
        ticket,
        previous_status=previous_status,
        agent_replied=is_public and by_agent,
        customer_wrote_at=message.created_at if from_customer else None,
    )
    if is_public:
        event = "ticket.customer_replied" if from_customer else "ticket.agent_replied"
        queue_webhooks(event, ticket, {"message": message.pk})
    if previous_status != ticket.status:
        _status_webhook(ticket, previous_status)
    if from_customer:
        run_triggers("customer_replied", ticket, message=message)


def after_update(ticket: Ticket, *, previous_status: str, fields: dict, by: str) -> None:
    reselect = bool({"priority", "queue"} & set(fields))
    if reselect or "status" in fields:
        sync_sla(ticket, previous_status=previous_status, reselect=reselect)
    if "assignee" in fields and ticket.assignee_id:
        announce_assignment(ticket, by=by)
    if "queue" in fields and not ticket.assignee_id and ticket.queue_id:
        # Moved unassigned into another queue: that queue's routing gets it (after commit).
        from ..tasks import route_waiting_tickets

        enqueue_on_commit(route_waiting_tickets, [ticket.queue_id])
    queue_webhooks("ticket.updated", ticket, {"changed": sorted(fields)})
    if previous_status != ticket.status:
        _status_webhook(ticket, previous_status)
    run_triggers("updated", ticket)


def _status_webhook(ticket: Ticket, previous_status: str) -> None:
    if ticket.status == "solved":
        queue_webhooks("ticket.solved", ticket, {"previous_status": previous_status})
