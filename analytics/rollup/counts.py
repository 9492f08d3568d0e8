"""Event counts per hour: one GROUP BY over the day's events, dimensions from the ticket row."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime

from django.db.models import BigIntegerField
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast, TruncHour

from helpdesk.models import Event
from tickets.models import Ticket

from ..metrics import CHANNEL_HELP_CENTER, CHANNEL_WIDGET, EVENT_COUNTS, is_ticket_kind
from .sql import as_datetime, grouped, table

Key = tuple[datetime, str, str, str, int]  # hour, metric, language, channel, queue
_BY_KIND: dict[str, list[tuple[str, tuple[str, str] | None]]] = {}
for _metric, (_kind, _condition) in EVENT_COUNTS.items():
    _BY_KIND.setdefault(_kind, []).append((_metric, _condition))


def count_events(start: datetime, end: datetime) -> Counter[Key]:
    """Hourly counts of every EVENT_COUNTS metric for events in [start, end)."""
    inner = (
        Event.objects.filter(occurred_at__gte=start, occurred_at__lt=end, kind__in=list(_BY_KIND))
        .annotate(
            hour=TruncHour("occurred_at", tzinfo=UTC),
            tid=Cast(KeyTextTransform("ticket", "data"), BigIntegerField()),
            rating=KeyTextTransform("rating", "data"),
        )
        .values("hour", "kind", "language", "tid", "rating")
    )
    cols = "e.hour, e.kind, e.language, e.rating, t.channel, t.queue_id, t.language"
    join = f"LEFT JOIN {table(Ticket)} t ON t.id = e.tid"
    counts: Counter[Key] = Counter()
    for hour, kind, lang, rating, t_channel, t_queue, t_lang, n in grouped(
        inner, f"{cols}, COUNT(*)", cols, join
    ):
        if is_ticket_kind(kind):
            channel = CHANNEL_WIDGET if kind == "chat.escalated" else (t_channel or "")
            queue, lang = t_queue or 0, (lang or t_lang or "")
        else:
            channel = CHANNEL_WIDGET if kind.startswith("chat.") else CHANNEL_HELP_CENTER
            queue = 0
        for metric, condition in _BY_KIND[kind]:
            if condition is None or condition[1] == rating:
                counts[(as_datetime(hour), metric, lang or "", channel, queue)] += n
    return counts
