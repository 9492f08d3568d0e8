"""Index writes, all on the `search` queue (one consumer: Whoosh allows one writer at a time).

Every task takes a model label and ids, re-reads the rows, and makes the index agree with the
database now: it is idempotent, and a late or repeated delivery cannot write stale content.
"""

from __future__ import annotations

import logging

from celery import shared_task
from django.apps import apps
from haystack import connections
from haystack.exceptions import NotHandled
from whoosh.index import LockError

logger = logging.getLogger(__name__)
MAX_SEGMENTS = 4  # each query visits every segment: keep them few
RETRY = {
    "autoretry_for": (LockError, OSError),
    "retry_backoff": 2,
    "retry_backoff_max": 120,
    "retry_jitter": True,
    "max_retries": 12,
    "acks_late": True,
}


def _index_for(model):
    try:
        return connections["default"].get_unified_index().get_index(model)
    except NotHandled:
        return None


@shared_task(name="helpdesk.search_tasks.sync_documents", **RETRY)
def sync_documents(model_label: str, pks: list[int]) -> dict[str, int]:
    """Index the rows that should be searchable; remove the ones that should not (or are gone)."""
    model = apps.get_model(model_label)
    index = _index_for(model)
    if index is None:
        return {"updated": 0, "removed": 0}
    wanted = list(index.index_queryset().filter(pk__in=pks))
    backend = connections["default"].get_backend()
    backend.update(index, wanted)
    present = {obj.pk for obj in wanted}
    gone = [
        f"{model._meta.app_label}.{model._meta.model_name}.{pk}" for pk in pks if pk not in present
    ]
    if hasattr(backend, "remove_ids"):
        backend.remove_ids(gone)
    else:  # other haystack backends remove one at a time
        for doc_id in gone:
            backend.remove(doc_id)
    return {"updated": len(wanted), "removed": len(gone)}


@shared_task(name="helpdesk.search_tasks.reconcile_index", acks_late=True)
def reconcile_index() -> dict[str, int]:
    """Compare the database with the index and repair drift (missing, stale or extra documents)."""
    from .search_sync import find_drift

    repaired = {"updated": 0, "removed": 0}
    for model, stale_pks, extra_ids in find_drift():
        label = f"{model._meta.app_label}.{model._meta.model_name}"
        if stale_pks:
            for start in range(0, len(stale_pks), 500):
                result = sync_documents.run(label, stale_pks[start : start + 500])
                repaired["updated"] += result["updated"]
        if extra_ids:
            connections["default"].get_backend().remove_ids(extra_ids)
            repaired["removed"] += len(extra_ids)
    if any(repaired.values()):
        logger.warning("search index drift repaired: %s", repaired)
    backend = connections["default"].get_backend()
    if hasattr(backend, "segment_count") and backend.segment_count() > MAX_SEGMENTS:
        backend.optimize()  # bulk repairs skip merging; merge once here
    return repaired
