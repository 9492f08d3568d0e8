"""Admin-edited config is cached per process; its versions are read once per request/task."""

import pytest
from django.core.cache import cache
from django.core.signals import request_started

from helpdesk import config_cache

pytestmark = pytest.mark.django_db  # request_started also closes old database connections


def test_versions_of_every_config_are_read_in_one_round_trip_and_kept_for_the_request(
    monkeypatch,
):
    loads = []
    config_cache.cached_config("a", lambda: loads.append("a") or 1)
    config_cache.cached_config("b", lambda: loads.append("b") or 2)
    request_started.send(sender=None)
    reads = []
    real_get_many = cache.get_many
    monkeypatch.setattr(cache, "get_many", lambda keys: reads.append(keys) or real_get_many(keys))
    assert config_cache.cached_config("a", lambda: 0) == 1
    assert config_cache.cached_config("b", lambda: 0) == 2
    assert len(reads) == 1 and len(reads[0]) >= 2 and loads == ["a", "b"]


def test_a_change_made_elsewhere_is_seen_on_the_next_request():
    assert config_cache.cached_config("c", lambda: "old") == "old"
    # Another process bumps the version in the shared cache: this request keeps its snapshot…
    cache.set(config_cache._version_key("c"), "from-another-process", None)
    assert config_cache.cached_config("c", lambda: "new") == "old"
    request_started.send(sender=None)  # …the next one reloads
    assert config_cache.cached_config("c", lambda: "new") == "new"


def test_a_change_made_in_this_thread_is_seen_at_once():
    assert config_cache.cached_config("d", lambda: "old") == "old"
    config_cache.invalidate("d")
    assert config_cache.cached_config("d", lambda: "new") == "new"


def test_outside_requests_a_snapshot_expires(monkeypatch):
    assert config_cache.cached_config("e", lambda: "old") == "old"
    cache.set(config_cache._version_key("e"), "from-another-process", None)
    now = config_cache.time.monotonic()
    monkeypatch.setattr(config_cache.time, "monotonic", lambda: now + config_cache.MAX_AGE + 1)
    assert config_cache.cached_config("e", lambda: "new") == "new"


def test_a_change_inside_a_transaction_is_published_again_when_it_commits(
    django_capture_on_commit_callbacks,
):
    import threading

    assert config_cache.cached_config("f", lambda: "old") == "old"

    def elsewhere(loader, out):
        """Another thread: its own snapshot of the versions, like another process."""
        request_started.send(sender=None)
        out.append(config_cache.cached_config("f", loader))

    seen = []
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        config_cache.invalidate("f")
        assert config_cache.cached_config("f", lambda: "mine") == "mine"  # seen here at once
        # Before the commit another process reloads and can only read the rows as they were…
        thread = threading.Thread(target=elsewhere, args=(lambda: "rows before commit", seen))
        thread.start()
        thread.join()
    assert len(callbacks) == 1 and seen == ["rows before commit"]
    # …so the commit publishes a new version, and everyone reloads what was committed.
    thread = threading.Thread(target=elsewhere, args=(lambda: "committed", seen))
    thread.start()
    thread.join()
    assert seen[-1] == "committed"


def test_a_rolled_back_change_is_never_shared():
    from django.db import transaction

    assert config_cache.cached_config("g", lambda: "old") == "old"
    try:
        with transaction.atomic():
            config_cache.invalidate("g")
            assert config_cache.cached_config("g", lambda: "rolled back") == "rolled back"
            raise RuntimeError
    except RuntimeError:
        pass
    request_started.send(sender=None)  # the next request reloads: the private copy is not kept
    assert config_cache.cached_config("g", lambda: "old again") == "old again"


def test_a_long_transaction_keeps_its_own_changes_when_the_snapshot_is_read_again(monkeypatch):
    assert config_cache.cached_config("h", lambda: "old") == "old"
    config_cache.invalidate("h")  # inside the test's transaction: private until it commits
    loads = []
    assert config_cache.cached_config("h", lambda: loads.append(1) or "mine") == "mine"
    now = config_cache.time.monotonic()
    monkeypatch.setattr(config_cache.time, "monotonic", lambda: now + config_cache.MAX_AGE + 1)
    assert config_cache.cached_config("h", lambda: loads.append(1) or "again") == "mine"
    assert loads == [1]


def test_a_rolled_back_change_is_dropped_within_the_same_request():
    from django.db import transaction

    assert config_cache.cached_config("i", lambda: "old") == "old"
    try:
        with transaction.atomic():
            config_cache.invalidate("i")
            assert config_cache.cached_config("i", lambda: "rolled back") == "rolled back"
            raise RuntimeError
    except RuntimeError:
        pass
    # No request_started here: the private version goes as soon as its transaction has ended.
    assert config_cache.cached_config("i", lambda: "committed rows") == "committed rows"


def test_a_sign_in_invalidates_no_config(agent):
    from django.contrib.auth.models import update_last_login

    config_cache.cached_config("api-tokens", dict)
    before = cache.get(config_cache._version_key("api-tokens"))
    update_last_login(None, agent)
    assert cache.get(config_cache._version_key("api-tokens")) == before
    agent.name = "Renamed"
    agent.save()
    assert cache.get(config_cache._version_key("api-tokens")) != before
