"""Chatbot tasks: the periodic sweep that marks abandoned bot conversations."""

from __future__ import annotations

from celery import shared_task

from .abandon import mark_abandoned_conversations


@shared_task(name="chatbot.tasks.mark_abandoned", acks_late=True)
def mark_abandoned() -> int:
    """Run by beat every five minutes; idempotent (each conversation is marked once)."""
    return mark_abandoned_conversations()
