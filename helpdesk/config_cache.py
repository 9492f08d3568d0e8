"""Per-process caches of admin-edited configuration (SLA policies, calendars, automations,
webhooks, queues, canned replies), so that the ticket hot path reads them without a query.

Each cache has a version token in the shared cache (Redis in production); saving a config row
bumps it (signals in apps.py), and every process reloads on its next read.

The versions of every config this process uses are read together, in one round trip, and kept
for the rest of the request or Celery task (at most MAX_AGE seconds elsewhere, e.g. in a shell):
creating a ticket reads four configs, and four Redis GETs were ~4% of its time.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable
from typing import Any, TypeVar

from django.core.cache import cache
from django.db import connection, transaction

T = TypeVar("T")
MAX_AGE = 1.0
_local: dict[str, tuple[str, Any]] = {}
_lock = threading.Lock()
_snapshot = threading.local()  # .versions {name: token}, .taken (monotonic seconds)


def _version_key(name: str) -> str:
    return f"tickets:config:{name}"


def _read_versions(names: set[str]) -> dict[str, str]:
    keys = {_version_key(name): name for name in names}
    versions = {keys[key]: token for key, token in cache.get_many(list(keys)).items()}
    for name in names - versions.keys():  # first use anywhere: create its token
        cache.add(_version_key(name), uuid.uuid4().hex, None)
        versions[name] = cache.get(_version_key(name)) or uuid.uuid4().hex
    return versions


def _version(name: str) -> str:
    versions = getattr(_snapshot, "versions", None)
    fresh = versions is not None and time.monotonic() - _snapshot.taken <= MAX_AGE
    if fresh and getattr(_snapshot, "uncommitted", None):
        held = len(_snapshot.uncommitted)
        fresh = len(_uncommitted()) == held  # a transaction ended: its private versions go
    if not fresh or name not in versions:
        _snapshot.versions = {**_read_versions(set(_local) | {name}), **_uncommitted()}
        _snapshot.taken = time.monotonic()
    return _snapshot.versions[name]


def _uncommitted() -> dict[str, str]:
    """This thread's private versions whose transaction is still open: their publishing is
    still among the connection's on-commit callbacks (a commit runs and removes it, a rollback
    discards it). Kept when the snapshot is read again, so a long transaction does not reload
    its own changes each second."""
    pending = {id(entry[1]) for entry in getattr(connection, "run_on_commit", [])}
    live = [
        (publish, own)
        for publish, own in getattr(_snapshot, "uncommitted", [])
        if id(publish) in pending
    ]
    _snapshot.uncommitted = live
    return {name: token for _, own in live for name, token in own.items()}


def cached_config(name: str, loader: Callable[[], T]) -> T:
    """`loader()`'s result, reloaded only when the config named `name` changed."""
    version = _version(name)
    memo = _local.get(name)
    if memo is not None and memo[0] == version:
        return memo[1]
    value = loader()
    with _lock:
        _local[name] = (version, value)
    return value


def invalidate(*names: str) -> None:
    """Make every process reload these configs on its next request or task.

    Inside a transaction the versions are published now and again when it commits: between
    the two, another process may reload the rows as they were and keep them under the first
    version, which the second replaces. Until the commit this thread uses a private version, so
    it sees its own change at once and never shares rows that could still be rolled back.
    """
    if not connection.in_atomic_block:
        _publish(names)
        return
    _publish(names, own=False)
    private = {name: f"uncommitted-{uuid.uuid4().hex}" for name in names}
    for name in names:
        _version(name)  # make sure this thread holds a snapshot to put its private one in
    _snapshot.versions.update(private)

    def publish() -> None:
        _publish(names)

    transaction.on_commit(publish)
    _snapshot.uncommitted = [*getattr(_snapshot, "uncommitted", []), (publish, private)]


def _publish(names: tuple[str, ...], *, own: bool = True) -> None:
    versions = getattr(_snapshot, "versions", None) if own else None
    for name in names:
        token = uuid.uuid4().hex
        cache.set(_version_key(name), token, None)
        if versions is not None:
            versions[name] = token


def is_login_stamp(update_fields) -> bool:
    """A user saved only to note a sign-in (Django's update_last_login): no config a user
    change invalidates (tokens, queue choices, analytics viewers) depends on it."""
    return update_fields is not None and set(update_fields) == {"last_login"}


def forget_versions(**kwargs) -> None:
    """Start of a request or a task: read the versions again (connected in apps.py)."""
    _snapshot.versions = None
    _snapshot.uncommitted = []
