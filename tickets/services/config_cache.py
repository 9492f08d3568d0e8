"""Per-process caches of admin-edited configuration (SLA policies, calendars, automations,
webhooks), so that the ticket hot path reads them without a query.

Each cache has a version token in the shared cache (Redis in production); saving a config row
bumps it (signals in apps.py), and every process reloads on its next read.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable
from typing import Any, TypeVar

from django.core.cache import cache

T = TypeVar("T")
_local: dict[str, tuple[str, Any]] = {}
_lock = threading.Lock()


def _version_key(name: str) -> str:
    return f"tickets:config:{name}"


def cached_config(name: str, loader: Callable[[], T]) -> T:
    """`loader()`'s result, reloaded only when the config named `name` changed."""
    version = cache.get(_version_key(name))
    if version is None:
        version = uuid.uuid4().hex
        cache.add(_version_key(name), version, None)
        version = cache.get(_version_key(name)) or version
    memo = _local.get(name)
    if memo is not None and memo[0] == version:
        return memo[1]
    value = loader()
    with _lock:
        _local[name] = (version, value)
    return value


def invalidate(*names: str) -> None:
    """Make every process reload these configs on its next read."""
    for name in names:
        cache.set(_version_key(name), uuid.uuid4().hex, None)
