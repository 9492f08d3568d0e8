"""Keeping the search index in step with the database: queued signal processor and drift checks."""

from __future__ import annotations

from collections.abc import Iterator

from django.db import models
from haystack import connections
from haystack.exceptions import NotHandled
from haystack.signals import BaseSignalProcessor

from .celery import enqueue_on_commit


def enqueue_index_update(instance: models.Model) -> None:
    """Queue the re-indexing of one row for after the current transaction commits."""
    from .search_tasks import sync_documents

    label = f"{instance._meta.app_label}.{instance._meta.model_name}"
    enqueue_on_commit(sync_documents, label, [instance.pk])


class QueuedSignalProcessor(BaseSignalProcessor):
    """Index changes through the `search` queue after commit, never inside the request.

    This is the one place a signal drives work (see STYLE.md): admin edits and services alike
    reach the index, and a rolled-back transaction never does.
    """

    def setup(self) -> None:
        models.signals.post_save.connect(self.handle_save)
        models.signals.post_delete.connect(self.handle_delete)

    def teardown(self) -> None:
        models.signals.post_save.disconnect(self.handle_save)
        models.signals.post_delete.disconnect(self.handle_delete)

    def handle_save(self, sender, instance, **kwargs) -> None:
        if _is_indexed(sender):
            enqueue_index_update(instance)

    def handle_delete(self, sender, instance, **kwargs) -> None:
        if _is_indexed(sender):
            enqueue_index_update(instance)  # the task finds the row gone and removes it


def _is_indexed(model) -> bool:
    try:
        connections["default"].get_unified_index().get_index(model)
    except NotHandled:
        return False
    return True


def find_drift() -> Iterator[tuple[type, list[int], list[str]]]:
    """For each indexed model: pks to (re)index and index ids to remove."""
    backend = connections["default"].get_backend()
    if not hasattr(backend, "indexed_ids"):
        return
    unified = connections["default"].get_unified_index()
    for model in unified.get_indexed_models():
        index = unified.get_index(model)
        ct = f"{model._meta.app_label}.{model._meta.model_name}"
        indexed = backend.indexed_ids(ct)
        wanted = dict(index.index_queryset().values_list("pk", index.get_updated_field()))
        stale = [
            pk for pk, updated in wanted.items() if not _same(indexed.get(f"{ct}.{pk}"), updated)
        ]
        extra = [doc_id for doc_id in indexed if int(doc_id.rsplit(".", 1)[1]) not in wanted]
        yield model, stale, extra


def _same(indexed_value, db_value) -> bool:
    if indexed_value is None or db_value is None:
        return False
    return (
        abs((indexed_value.replace(tzinfo=None) - db_value.replace(tzinfo=None)).total_seconds())
        < 1
    )
