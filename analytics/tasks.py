"""Celery tasks of the analytics app (thin: they call the roll-up)."""

from __future__ import annotations

from celery import shared_task

from .rollup import rollup_recent


@shared_task(ignore_result=True)
def rollup_recent_days() -> int:
    """Beat: re-roll the recent days up to the last complete hour (idempotent)."""
    return rollup_recent()
