"""Bulk changes from the desk list: one workflow call per ticket, a report of what happened."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import transaction

from ..models import Status, Ticket
from ..selectors import visible_tickets
from .core import TicketError, assign_ticket, update_ticket

BULK_ACTIONS = ("assign", "status", "priority", "tag", "close")
MAX_BULK = 200


@dataclass
class BulkResult:
    changed: list[Ticket] = field(default_factory=list)
    unchanged: list[Ticket] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (reference, reason)


def bulk_update_tickets(*, actor, ticket_ids: Iterable[int], action: str, value=None) -> BulkResult:
    """Apply one action to many tickets; each is checked and saved on its own.

    Each ticket gets its own transaction so that one refusal (a closed ticket cannot be
    reopened, say) does not undo the others. No expected version is passed: the agent picked
    one field to set on rows they saw in a list, and a newer edit to any other field of the
    ticket must not make the bulk change fail.
    """
    if action not in BULK_ACTIONS:
        raise TicketError(f"Unknown bulk action {action!r}.")
    ids = sorted({int(i) for i in ticket_ids})[:MAX_BULK]
    visible = {t.pk: t for t in visible_tickets(actor).filter(pk__in=ids)}
    result = BulkResult()
    for pk in ids:
        ticket = visible.get(pk)
        if ticket is None:
            result.failed.append((f"HD-{pk}", "not found"))
            continue
        before = ticket.version
        try:
            with transaction.atomic():
                ticket = _apply(ticket, actor, action, value)
        except TicketError as exc:
            result.failed.append((ticket.reference, str(exc)))
            continue
        (result.changed if ticket.version != before else result.unchanged).append(ticket)
    return result


def _apply(ticket: Ticket, actor, action: str, value) -> Ticket:
    if action == "assign":
        return assign_ticket(ticket=ticket, assignee=value, actor=actor)
    if action == "close":
        return update_ticket(ticket=ticket, actor=actor, expected_version=None,
                             status=Status.CLOSED)  # fmt: skip
    if action == "tag":
        names = list(ticket.tags.values_list("name", flat=True))
        if value in names:  # update_ticket would bump the version for a no-op
            return ticket
        return update_ticket(
            ticket=ticket, actor=actor, expected_version=None, tags=[*names, value]
        )
    return update_ticket(ticket=ticket, actor=actor, expected_version=None, **{action: value})
