"""The `search` queue, consumed by a real worker against Redis, keeps the index in step."""

import pytest
from django.db import transaction

from kb import search, services
from tests.kb.factories import SectionFactory, make_article
from tests.workers import celery_worker, wait_until

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def _found(query: str) -> set[int]:
    return {
        h.article_id for h in search.search(raw_query=query, language="en", audience="agents").hits
    }


def test_worker_on_the_search_queue_indexes_and_removes_after_commit(search_index):
    with celery_worker(queues="search"):
        with transaction.atomic():
            article = make_article(section=SectionFactory(), title="Snowshoe sizing chart")
        assert wait_until(lambda: article.pk in _found("snowshoe")), "not indexed by the worker"
        services.archive_article(article=article)
        assert wait_until(lambda: article.pk not in _found("snowshoe")), "not removed by the worker"
    print("search queue worker indexed and removed an article")
