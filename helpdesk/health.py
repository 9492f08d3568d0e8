"""Health checks of the database, cache, broker and search index for /healthz."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.db import connection

from .celery import app as celery_app
from .tasks import HEARTBEAT_KEY


def check_database() -> dict:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {"status": "ok", "vendor": connection.vendor}


def check_cache() -> dict:
    key, value = f"healthz:{uuid.uuid4().hex}", "1"
    cache.set(key, value, timeout=5)
    if cache.get(key) != value:
        return {"status": "error", "detail": "cache did not return what was stored"}
    cache.delete(key)
    return {"status": "ok", "backend": settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]}


def check_broker() -> dict:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return {"status": "ok", "mode": "eager (no broker configured)"}
    with celery_app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=2)
    return {"status": "ok", "mode": "broker", "last_heartbeat": cache.get(HEARTBEAT_KEY)}


def check_search() -> dict:
    conn = settings.HAYSTACK_CONNECTIONS["default"]
    if "whoosh" not in conn["ENGINE"].lower():
        from haystack import connections

        backend = connections["default"].get_backend()
        return {"status": "ok" if backend.conn.ping() else "error", "engine": conn["ENGINE"]}
    import whoosh.index

    path = Path(conn["PATH"])
    if not whoosh.index.exists_in(path):
        # Not built yet (`manage.py rebuild_index`): searchable as soon as it is.
        return {"status": "ok", "engine": "whoosh", "documents": 0, "built": False}
    with whoosh.index.open_dir(path).reader() as reader:
        return {"status": "ok", "engine": "whoosh", "documents": reader.doc_count()}


CHECKS: dict[str, Callable[[], dict]] = {
    "database": check_database,
    "cache": check_cache,
    "broker": check_broker,
    "search": check_search,
}


def run_checks() -> dict[str, dict]:
    """Run every check; a failing one reports its error instead of raising."""
    results = {}
    for name, check in CHECKS.items():
        try:
            results[name] = check()
        except Exception as exc:  # a health check must report, never crash
            results[name] = {"status": "error", "detail": f"{type(exc).__name__}: {exc}"[:300]}
    return results
