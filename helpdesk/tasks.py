"""Core Celery tasks: a heartbeat that shows workers and beat are alive, and a ping."""

from __future__ import annotations

from celery import shared_task
from django.core.cache import cache
from django.utils import timezone

from . import events
from .events import record_event
from .models import Event

HEARTBEAT_KEY = "celery:heartbeat"


@shared_task(name="helpdesk.tasks.heartbeat")
def heartbeat() -> str:
    """Run by beat every minute; /healthz reports when a worker last ran it."""
    now = timezone.now().isoformat()
    cache.set(HEARTBEAT_KEY, now, timeout=None)
    return now


@shared_task(name="helpdesk.tasks.ping")
def ping(token: str) -> str:
    """Record one `system.ping` event carrying `token`: proves a worker reaches the database."""
    if not Event.objects.filter(kind="system.ping", data__token=token).exists():
        record_event(kind="system.ping", data={"token": token})
    return token


@shared_task(name="helpdesk.tasks.flush_event_buffer")
def flush_event_buffer() -> int:
    """Write buffered hot-path events (page views) in batches; run by beat every 10 seconds."""
    total = 0
    for _ in range(20):  # bounded: a busy site refills the buffer while we write
        written = events.flush_event_buffer()
        total += written
        if not written:
            break
    return total
