"""Pure ticket rules: which status changes are allowed, and what a reply does to the status."""

from __future__ import annotations

from .models import Status

# From -> the statuses an agent may set. Closed is final: a customer writing again opens a
# new ticket (the email channel links it); solved reopens when the customer replies.
TRANSITIONS: dict[str, set[str]] = {
    Status.NEW: {Status.OPEN, Status.PENDING, Status.ON_HOLD, Status.SOLVED, Status.CLOSED},
    Status.OPEN: {Status.PENDING, Status.ON_HOLD, Status.SOLVED, Status.CLOSED},
    Status.PENDING: {Status.OPEN, Status.ON_HOLD, Status.SOLVED, Status.CLOSED},
    Status.ON_HOLD: {Status.OPEN, Status.PENDING, Status.SOLVED, Status.CLOSED},
    Status.SOLVED: {Status.OPEN, Status.CLOSED},
    Status.CLOSED: set(),
}


def can_change_status(current: str, new: str) -> bool:
    return new == current or new in TRANSITIONS.get(current, set())


def status_after_agent_reply(current: str, requested: str | None) -> str:
    """An agent's public reply waits on the customer unless the agent picked a status."""
    if requested:
        return requested
    return Status.PENDING if current in (Status.NEW, Status.OPEN) else current


def status_after_customer_reply(current: str) -> str:
    """A customer writing back puts the ticket in front of an agent again."""
    return Status.OPEN if current in (Status.PENDING, Status.SOLVED, Status.NEW) else current
