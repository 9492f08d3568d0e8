"""Mail tasks: process a stored message, poll IMAP (beat), retry what an outage left behind."""

from __future__ import annotations

from celery import shared_task
from django.core.cache import cache

from .imap import poll_all
from .services import process_email, retryable_ids

POLL_LOCK = "mail:imap-poll-lock"


@shared_task(name="mail.tasks.process_inbound_email", acks_late=True)
def process_inbound_email(inbound_id: int) -> str:
    inbound = process_email(inbound_id)
    return inbound.status if inbound else "missing"


@shared_task(name="mail.tasks.poll_mailboxes", acks_late=True)
def poll_mailboxes() -> int:
    """Run by beat; a poll still running (slow server) is never overlapped by the next one."""
    if not cache.add(POLL_LOCK, "1", timeout=300):
        return 0
    try:
        fetched = poll_all()
        for inbound_id in retryable_ids():
            process_email(inbound_id)
        return fetched
    finally:
        cache.delete(POLL_LOCK)
