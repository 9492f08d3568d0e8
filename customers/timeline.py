"""One timeline per contact, across channels, read from the event log (keyset-paginated).

A contact's events are those recorded with their id, plus the events of the sessions they were
identified in (the article they read and the search they ran before opening a ticket or chat).
Apps above customers add titles and links through `register_describer` (one query per page).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from helpdesk.models import Event

from .selectors import decode_position, encode_position

HIDDEN_KINDS = ("chat.message", "guide.step", "chat.article_shown", "system.ping")
MAX_SESSIONS = 200
MAX_LIMIT = 100
LABELS = {
    "ticket.created": _("Opened a ticket"),
    "ticket.customer_replied": _("Replied on a ticket"),
    "ticket.agent_replied": _("Got a reply from the team"),
    "ticket.solved": _("Ticket solved"),
    "ticket.reopened": _("Ticket reopened"),
    "ticket.rated": _("Rated the support"),
    "chat.session_started": _("Started a chat"),
    "chat.escalated": _("Chat handed to the team"),
    "chat.resolved_by_bot": _("Chat answered by the assistant"),
    "chat.rated": _("Rated the chat"),
    "chat.abandoned": _("Left the chat"),
    "chat.article_opened": _("Opened an article from the chat"),
    "kb.article_viewed": _("Read an article"),
    "kb.article_voted": _("Voted on an article"),
    "kb.faq_opened": _("Opened an FAQ"),
    "search.performed": _("Searched the help center"),
    "search.result_clicked": _("Opened a search result"),
    "guide.started": _("Started a guide"),
    "guide.completed": _("Completed a guide"),
    "guide.abandoned": _("Left a guide"),
    "email.received": _("Sent an email"),
    "contact.merged": _("Merged with a duplicate contact"),
    "contact.erased": _("Personal data erased"),
}


@dataclass
class TimelineItem:
    id: int
    kind: str
    occurred_at: datetime
    data: dict
    channel: str
    label: str
    title: str = ""
    url: str = ""


Describer = Callable[[list[TimelineItem]], None]
_DESCRIBERS: dict[str, Describer] = {}


def register_describer(prefix: str, describer: Describer) -> None:
    """`describer(items)` fills title/url of items whose kind starts with prefix, in one query."""
    _DESCRIBERS[prefix] = describer


def _sessions(contact_id: int) -> list[str]:
    rows = (
        Event.objects.filter(contact_id=contact_id)
        .exclude(session_id="")
        .order_by("-occurred_at")
        .values_list("session_id", flat=True)[: MAX_SESSIONS * 5]
    )
    return list(dict.fromkeys(rows))[:MAX_SESSIONS]


def _page_query(events, *, position, prefixes: list[str], limit: int) -> list[Event]:
    events = events.exclude(kind__in=HIDDEN_KINDS)
    if prefixes:
        events = events.filter(_kind_filter(prefixes))
    if position is not None:
        moment, pk = position
        events = events.filter(Q(occurred_at__lt=moment) | Q(occurred_at=moment, id__lt=pk))
    ordered = events.order_by("-occurred_at", "-id").only("id", "kind", "occurred_at", "data")
    return list(ordered[: limit + 1])


def timeline(
    contact_id: int, *, cursor: str = "", limit: int = 30, kinds: Iterable[str] = ()
) -> tuple[list[TimelineItem], str]:
    """A page of the timeline and the cursor of the next (older) page ("" at the end).

    Two index-ordered queries, each stopping after one page: the contact's own events
    (contact_id, occurred_at) and the anonymous events of their sessions (session_id); merged
    here. Another contact's events in a shared session are never shown.
    """
    limit = max(1, min(limit, MAX_LIMIT))
    position = decode_position(cursor) if cursor else None
    prefixes = [k for k in kinds if k]
    rows = _page_query(Event.objects.filter(contact_id=contact_id), position=position,
                       prefixes=prefixes, limit=limit)  # fmt: skip
    sessions = _sessions(contact_id)
    if sessions:
        anonymous = Event.objects.filter(session_id__in=sessions, contact_id__isnull=True)
        rows += _page_query(anonymous, position=position, prefixes=prefixes, limit=limit)
    rows.sort(key=lambda e: (e.occurred_at, e.pk), reverse=True)
    items = [_item(e) for e in rows[:limit]]
    for prefix, describer in _DESCRIBERS.items():
        matching = [i for i in items if i.kind.startswith(prefix)]
        if matching:
            describer(matching)
    next_cursor = encode_position(items[-1].occurred_at, items[-1].id) if len(rows) > limit else ""
    return items, next_cursor


def _kind_filter(prefixes: list[str]) -> Q:
    where = Q()
    for prefix in prefixes:
        where |= Q(kind__startswith=f"{prefix}.")
    return where


def _item(event: Event) -> TimelineItem:
    channel = event.kind.split(".", 1)[0]
    label = LABELS.get(event.kind, event.kind)
    return TimelineItem(
        id=event.pk,
        kind=event.kind,
        occurred_at=event.occurred_at,
        data=event.data or {},
        channel=channel,
        label=str(label),
    )
