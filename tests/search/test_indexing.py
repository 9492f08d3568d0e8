"""Index writes: after commit only, removals retried under lock contention, drift repaired."""

import threading
import time

import pytest
from django.db import transaction
from haystack import connections
from whoosh.index import LockError

from helpdesk.search_tasks import reconcile_index, sync_documents
from kb import search, services
from tests.kb.factories import SectionFactory, make_article
from tests.search.conftest import index_now


def _found(query: str, article) -> bool:
    hits = search.search(raw_query=query, language="en", audience="agents").hits
    return article.pk in {h.article_id for h in hits}


@pytest.mark.django_db(transaction=True)
def test_published_article_is_indexed_after_commit_and_never_for_a_rollback(search_index):
    section = SectionFactory()
    with transaction.atomic():
        kept = make_article(section=section, title="Bicycle assembly guide")
    with pytest.raises(RuntimeError), transaction.atomic():
        make_article(section=section, title="Bicycle rollback ghost")
        raise RuntimeError("roll back")
    assert _found("bicycle assembly", kept)
    assert not search.search(raw_query="ghost", language="en", audience="agents").hits


@pytest.mark.django_db(transaction=True)
def test_archiving_reaches_the_index_through_the_queued_signal(search_index):
    article = make_article(title="Kayak paddles")
    assert _found("kayak", article)
    services.archive_article(article=article)
    assert not _found("kayak", article)


@pytest.mark.django_db
def test_removal_waits_for_a_held_lock_instead_of_being_dropped(search_index, settings):
    settings.SEARCH_LOCK_TIMEOUT = 5
    article = make_article(title="Tent pegs")
    index_now(article)
    services.unpublish_article(article=article)
    backend = connections["default"].get_backend()
    writer = backend.index.writer()  # a concurrent writer holds the lock for a second

    def release_later():
        time.sleep(1)
        writer.cancel()

    threading.Thread(target=release_later).start()
    started = time.monotonic()
    sync_documents("kb.article", [article.pk])
    assert time.monotonic() - started >= 0.9
    assert not _found("tent pegs", article)


@pytest.mark.django_db
def test_removal_raises_for_a_retry_when_the_lock_is_never_released(search_index, settings):
    settings.SEARCH_LOCK_TIMEOUT = 0.3
    article = make_article(title="Sleeping bag")
    index_now(article)
    backend = connections["default"].get_backend()
    writer = backend.index.writer()
    try:
        with pytest.raises(LockError):
            backend.remove_ids([f"kb.article.{article.pk}"])
    finally:
        writer.cancel()
    assert _found("sleeping bag", article)  # still there, and the task will be retried
    backend.remove_ids([f"kb.article.{article.pk}"])
    assert not _found("sleeping bag", article)


@pytest.mark.django_db
def test_reconcile_adds_missing_and_removes_stray_documents(search_index):
    missing = make_article(title="Lantern batteries")
    stray = make_article(title="Compass calibration")
    index_now(stray)
    stray_id = stray.pk
    stray.delete()  # deleted while nothing listened: the index still has it
    assert reconcile_index() == {"updated": 1, "removed": 1}
    assert _found("lantern", missing)
    assert not search.search(raw_query="compass", language="en", audience="agents").hits
    assert reconcile_index() == {"updated": 0, "removed": 0}  # idempotent
    assert stray_id


@pytest.mark.django_db
def test_rebuild_index_command_indexes_every_published_article(search_index):
    from django.core.management import call_command

    articles = [make_article(title=f"Hammock model {i}") for i in range(3)]
    call_command("rebuild_index", interactive=False, verbosity=0)
    assert all(_found("hammock", a) for a in articles)
