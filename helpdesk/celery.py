"""The Celery app, and the one way we enqueue work: after the transaction commits.

Conventions for every task in this project:
- Tasks take ids, load rows, and call a service; they hold no business logic.
- Tasks are idempotent: running one twice (a redelivery after a worker crash, `acks_late`)
  leaves the same state as running it once. Load by primary key, check state, then act.
- Tasks are enqueued with `enqueue_on_commit`, never `delay()` inside a transaction: a task
  that runs before the commit reads rows that do not exist yet, or that are rolled back.
- Index writes go to the `search` queue, consumed with concurrency 1 (Whoosh: one writer).
"""

from __future__ import annotations

import logging
import os
from typing import Any

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "helpdesk.settings")

app = Celery("helpdesk")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# Tasks live in `tasks.py`, and search index writers in `search_tasks.py` (routed to `search`).
app.autodiscover_tasks(related_name="search_tasks")

logger = logging.getLogger(__name__)


def send_task_safely(task: Any, args: tuple = (), kwargs: dict | None = None) -> bool:
    """Publish a task; a broker outage is logged and reported as False, never raised."""
    try:
        task.apply_async(args=args, kwargs=kwargs or {})
    except Exception:
        # The caller's data is already committed; periodic reconcile/outbox jobs catch up.
        logger.exception("could not enqueue %s", getattr(task, "name", task))
        return False
    return True


def enqueue_on_commit(task: Any, *args: Any, using: str | None = None, **kwargs: Any) -> None:
    """Queue `task(*args, **kwargs)` once the current transaction commits (now if none)."""
    from django.db import transaction

    transaction.on_commit(lambda: send_task_safely(task, args, kwargs), using=using)
