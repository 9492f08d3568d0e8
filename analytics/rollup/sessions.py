"""Session-level metrics for one UTC day: the funnel, bot outcomes, users and requesters."""

from __future__ import annotations

from collections import Counter
from datetime import date

from django.db.models import Count, Max, Min

from helpdesk.models import Event

from ..metrics import CHANNEL_HELP_CENTER, CHANNEL_WIDGET, FUNNEL_STAGES
from .sql import DAY, day_bounds, flag, grouped

Key = tuple[str, str, str]  # metric, language, channel
SEARCH = ("search.performed",)
VIEW = ("kb.article_viewed", "chat.article_opened")
TALK = ("chat.message",)
ESCALATE = ("chat.escalated",)
TICKET = ("ticket.created",)
HELP_CENTER_KINDS = (
    "search.performed",
    "search.result_clicked",
    "kb.article_viewed",
    "kb.faq_opened",
    "kb.article_voted",
    "guide.started",
    "guide.step",
    "guide.completed",
    "guide.abandoned",
)
CHAT_KINDS = (
    "chat.session_started",
    "chat.message",
    "chat.article_shown",
    "chat.article_opened",
    "chat.resolved_by_bot",
    "chat.escalated",
    "chat.rated",
    "chat.abandoned",
)
SESSION_KINDS = (*HELP_CENTER_KINDS, *CHAT_KINDS, "ticket.created")
_FLAGS = {
    "searched": SEARCH,
    "viewed": VIEW,
    "talked": TALK,
    "escalated": ESCALATE,
    "ticket": TICKET,
    "started": ("chat.session_started",),
    "resolved": ("chat.resolved_by_bot",),
    "abandoned": ("chat.abandoned",),
    "is_chat": CHAT_KINDS,
}


def depth(f: dict[str, int]) -> int:
    """How far a session went: 0 = anything, 1 searched, ..., 5 opened a ticket."""
    for level, name in ((5, "ticket"), (4, "escalated"), (3, "talked"), (2, "viewed")):
        if f[name]:
            return level
    return 1 if f["searched"] else 0


def bot_outcome(f: dict[str, int]) -> str:
    """Exactly one of contained, escalated, abandoned for a bot session."""
    if f["escalated"]:
        return "bot_escalated"
    if not f["resolved"] and (f["abandoned"] or not f["talked"]):
        return "bot_abandoned"
    return "bot_contained"


def session_metrics(day: date) -> Counter[Key]:
    """Sessions whose first event falls on `day`, judged by their events until the next day ends.

    The window starts a day earlier so that a session begun before midnight is not counted
    again on the day it ends; one GROUP BY session in the database, one over the flags.
    """
    start, end = day_bounds(day)
    inner = (
        Event.objects.filter(
            occurred_at__gte=start - DAY, occurred_at__lt=end + DAY, kind__in=SESSION_KINDS
        )
        .exclude(session_id="")
        .values("session_id")
        .annotate(
            first_at=Min("occurred_at"),
            lang=Max("language"),
            **{n: flag(*k) for n, k in _FLAGS.items()},
        )
        .filter(first_at__gte=start, first_at__lt=end)
    )
    names = list(_FLAGS)
    cols = ", ".join(f"e.{n}" for n in ["lang", *names])
    counts: Counter[Key] = Counter()
    for row in grouped(inner, f"{cols}, COUNT(*)", cols):
        lang, f, n = row[0] or "", dict(zip(names, row[1:-1], strict=True)), row[-1]
        channel = CHANNEL_WIDGET if f["is_chat"] else CHANNEL_HELP_CENTER
        for stage in FUNNEL_STAGES[: depth(f) + 1]:
            counts[(stage, lang, channel)] += n
        if f["started"]:
            counts[("bot_sessions", lang, channel)] += n
            outcome = bot_outcome(f)
            counts[(outcome, lang, channel)] += n
            if outcome == "bot_contained" and f["resolved"]:
                counts[("bot_confirmed", lang, channel)] += n
    counts.update(_people(day))
    return counts


def _people(day: date) -> Counter[Key]:
    """Distinct help-center visitors and distinct ticket requesters of the day."""
    start, end = day_bounds(day)
    events = Event.objects.filter(occurred_at__gte=start, occurred_at__lt=end)
    counts: Counter[Key] = Counter()
    users = (
        events.filter(kind__in=HELP_CENTER_KINDS)
        .exclude(visitor_id="")
        .values("language")
        .annotate(n=Count("visitor_id", distinct=True))
    )
    for row in users:
        counts[("helpcenter_users", row["language"], CHANNEL_HELP_CENTER)] += row["n"]
    requesters = (
        events.filter(kind="ticket.created", contact_id__isnull=False)
        .values("language")
        .annotate(n=Count("contact_id", distinct=True))
    )
    for row in requesters:
        counts[("ticket_requesters", row["language"], "")] += row["n"]
    return counts
