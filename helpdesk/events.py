"""The one function every app uses to record an event for analytics."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from .models import Event

MAX_ID_LENGTH = 64


def record_event(
    *,
    kind: str,
    visitor_id: str = "",
    session_id: str = "",
    contact_id: int | None = None,
    language: str = "",
    data: dict[str, Any] | None = None,
    occurred_at: datetime | None = None,
) -> Event:
    """Append one event to the log; it joins the caller's transaction."""
    event = Event(
        kind=kind,
        visitor_id=(visitor_id or "")[:MAX_ID_LENGTH],
        session_id=(session_id or "")[:MAX_ID_LENGTH],
        contact_id=contact_id,
        language=(language or "")[:16],
        data=data or {},
    )
    if occurred_at is not None:
        event.occurred_at = occurred_at
    event.save()
    return event


def record_events(events: list[Event]) -> int:
    """Append many events in one INSERT (batched hot-path counters flush through here)."""
    return len(Event.objects.bulk_create(events, batch_size=1000))
