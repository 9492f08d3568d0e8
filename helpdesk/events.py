"""The one function every app uses to record an event, and a buffer for hot-path events."""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.utils import timezone

from .models import Event

logger = logging.getLogger(__name__)

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


# --- Buffered events for hot paths (page views) -----------------------------------------------
# A page view must not cost a database write. Views push events into Redis (or, without Redis,
# a small in-process buffer) and a beat task writes them in batches. A buffered event can be lost
# if Redis itself loses data; nothing a customer wrote ever goes through here.
BUFFER_KEY = "events:buffer"
LOCAL_FLUSH_AT = 50
LOCAL_MAX_AGE_SECONDS = 30.0
_local_buffer: list[str] = []
_local_lock = threading.Lock()
_local_oldest = [0.0]
# kind -> callables run with the flushed events of that kind (e.g. kb adds view counts).
FLUSH_HOOKS: dict[str, list[Callable[[list[Event]], None]]] = {}


def register_flush_hook(kind: str, hook: Callable[[list[Event]], None]) -> None:
    """Run `hook(events)` after buffered events of `kind` are written."""
    if hook not in FLUSH_HOOKS.setdefault(kind, []):
        FLUSH_HOOKS[kind].append(hook)


def _redis():
    from django.conf import settings

    if "RedisCache" not in settings.CACHES["default"]["BACKEND"]:
        return None
    from django_redis import get_redis_connection

    return get_redis_connection("default")


def buffer_event(
    *,
    kind: str,
    visitor_id: str = "",
    session_id: str = "",
    contact_id: int | None = None,
    language: str = "",
    data: dict[str, Any] | None = None,
) -> None:
    """Queue an event for a batched write; never touches the database on this call path
    unless the in-process buffer (used only without Redis) is full."""
    payload = json.dumps(
        {
            "kind": kind,
            "visitor_id": (visitor_id or "")[:MAX_ID_LENGTH],
            "session_id": (session_id or "")[:MAX_ID_LENGTH],
            "contact_id": contact_id,
            "language": (language or "")[:16],
            "data": data or {},
            "occurred_at": timezone.now().isoformat(),
        }
    )
    client = _redis()
    if client is not None:
        try:
            client.rpush(BUFFER_KEY, payload)
            return
        except Exception:  # Redis down: keep the event locally rather than lose it
            logger.warning("event buffer: Redis unavailable, buffering in process")
    with _local_lock:
        if not _local_buffer:
            _local_oldest[0] = time.monotonic()
        _local_buffer.append(payload)
        is_due = len(_local_buffer) >= LOCAL_FLUSH_AT or (
            time.monotonic() - _local_oldest[0] > LOCAL_MAX_AGE_SECONDS
        )
    if is_due:
        flush_event_buffer()


def _pop_payloads(limit: int) -> list[str]:
    with _local_lock:
        payloads = _local_buffer[:limit]
        del _local_buffer[:limit]
    client = _redis()
    if client is not None and len(payloads) < limit:
        popped = client.lpop(BUFFER_KEY, limit - len(payloads)) or []
        payloads += [p.decode() if isinstance(p, bytes) else p for p in popped]
    return payloads


def flush_event_buffer(limit: int = 5000) -> int:
    """Write up to `limit` buffered events in one INSERT and run the flush hooks."""
    payloads = _pop_payloads(limit)
    if not payloads:
        return 0
    events = []
    for raw in payloads:
        item = json.loads(raw)
        item["occurred_at"] = datetime.fromisoformat(item["occurred_at"])
        events.append(Event(**item))
    record_events(events)
    by_kind: dict[str, list[Event]] = {}
    for event in events:
        by_kind.setdefault(event.kind, []).append(event)
    for kind, batch in by_kind.items():
        for hook in FLUSH_HOOKS.get(kind, []):
            hook(batch)
    return len(events)
