"""Shared fixtures: isolated search index and media; eager Celery unless a test needs it real."""

from __future__ import annotations

import os

import pytest
from django.conf import settings

SERVICES_AVAILABLE = bool(os.environ.get("REDIS_URL")) and os.environ.get(
    "DATABASE_URL", ""
).startswith(("postgres", "postgresql"))


def pytest_collection_modifyitems(config, items) -> None:
    skip = pytest.mark.skip(
        reason="needs real services: set DATABASE_URL=postgres://... and REDIS_URL (see .ci/run)"
    )
    for item in items:
        if "services" in item.keywords and not SERVICES_AVAILABLE:
            item.add_marker(skip)


@pytest.fixture(scope="session", autouse=True)
def _isolated_storage(tmp_path_factory) -> None:
    """Each test session writes its search index and uploads under a temporary directory."""
    from haystack import connections

    root = tmp_path_factory.mktemp("helpdesk")
    settings.MEDIA_ROOT = root / "media"
    conn = settings.HAYSTACK_CONNECTIONS["default"]
    if "whoosh" in conn["ENGINE"].lower():
        conn["PATH"] = str(root / "whoosh_index")
        connections.reload("default")


@pytest.fixture(autouse=True)
def _eager_celery_and_clean_cache(request):
    """Run tasks in-process for ordinary tests; `services` tests talk to a real broker."""
    from django.core.cache import cache

    from helpdesk import events
    from helpdesk.celery import app
    from helpdesk.config_cache import forget_versions

    is_real = "services" in request.keywords
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = not is_real
    app.conf.task_eager_propagates = True
    cache.clear()
    forget_versions()  # config versions this thread read during an earlier test
    events._local_buffer.clear()  # hot-path events buffered by an earlier test
    yield
    app.conf.task_always_eager = previous


@pytest.fixture
def make_user(db):
    """Create a user with a role; password is 'pw-for-tests-1'."""
    from tests.helpdesk.factories import UserFactory

    return UserFactory


@pytest.fixture
def agent(make_user):
    return make_user(role="agent", name="Aino Agent")


@pytest.fixture
def customer(make_user):
    return make_user(role="customer", name="Casey Customer")


@pytest.fixture
def admin_user(make_user):
    return make_user(role="admin", name="Ada Admin", is_staff=True, is_superuser=True)
