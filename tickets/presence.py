"""Who is looking at a ticket right now, and what happened to it since an agent opened it.

Presence lives in the cache only (it is worthless a minute later): each agent's page sends a
heartbeat every 10 seconds and entries older than PRESENCE_TTL are ignored.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from django.core.cache import cache

from .models import Message, Ticket, TicketChange

PRESENCE_TTL = 30  # seconds; three missed heartbeats and the agent has left


def _key(ticket_id: int) -> str:
    return f"desk:presence:{ticket_id}"


def _fresh(ticket_id: int, now: float) -> dict[int, tuple[str, float]]:
    """The viewers seen within PRESENCE_TTL: {user id: (short name, last seen)}."""
    entries = (cache.get(_key(ticket_id)) or {}).items()
    return {uid: entry for uid, entry in entries if now - entry[1] < PRESENCE_TTL}


def _others(viewers: dict[int, tuple[str, float]], user) -> list[str]:
    return sorted(name for uid, (name, _seen) in viewers.items() if uid != user.pk)


def touch(ticket_id: int, user) -> list[str]:
    """Record that this agent is viewing the ticket now; the others viewing it, as
    other_viewers() would answer (read in the same round trip)."""
    now = time.time()
    viewers = _fresh(ticket_id, now)
    # Read-modify-write without a lock: two simultaneous heartbeats may drop one entry, which
    # the next heartbeat (10 s later) restores. Cheaper than a lock for a hint like this.
    others = _others(viewers, user)
    viewers[user.pk] = (user.get_short_name(), now)
    cache.set(_key(ticket_id), viewers, PRESENCE_TTL)
    return others


def leave(ticket_id: int, user) -> None:
    viewers = cache.get(_key(ticket_id)) or {}
    if viewers.pop(user.pk, None) is not None:
        cache.set(_key(ticket_id), viewers, PRESENCE_TTL)


def other_viewers(ticket_id: int, user) -> list[str]:
    """Short names of the other agents viewing the ticket, sorted."""
    return _others(_fresh(ticket_id, time.time()), user)


@dataclass
class Activity:
    """What others did to a ticket after the agent loaded it."""

    messages: list[Message] = field(default_factory=list)
    changes: list[TicketChange] = field(default_factory=list)
    is_stale: bool = False

    @property
    def has_news(self) -> bool:
        return bool(self.messages or self.changes or self.is_stale)


def activity_since(
    ticket: Ticket, *, user, seen_version: int, seen_message: int, seen_change: int
) -> Activity:
    """Messages and field changes by anyone else since the page was rendered."""
    messages = (
        Message.objects.filter(ticket=ticket, pk__gt=seen_message)
        .exclude(author_user=user)
        .select_related("author_user", "author_contact")
        .order_by("-created_at", "-id")[:5]
    )
    changes = (
        TicketChange.objects.filter(ticket=ticket, pk__gt=seen_change)
        .exclude(actor=user)
        .select_related("actor", "actor_contact")
        .order_by("-created_at", "-id")[:10]
    )
    return Activity(
        messages=list(messages), changes=list(changes), is_stale=ticket.version != seen_version
    )
