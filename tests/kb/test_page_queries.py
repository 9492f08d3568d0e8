"""Help-center pages cost a constant number of queries, however many articles there are."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.kb.factories import SectionFactory, make_article

pytestmark = pytest.mark.django_db


def _queries(client, url: str) -> int:
    cache.clear()  # measure the uncached path: the cached one is zero
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def _fill(section, n: int, with_translations: bool = True):
    articles = []
    for i in range(n):
        a = make_article(section=section, title=f"Article {i}", labels=["shipping", f"l{i}"])
        if with_translations:
            make_article(source=a, language="fi", title=f"Artikkeli {i}")
        articles.append(a)
    return articles


@pytest.mark.parametrize("page", ["home", "category", "section", "article", "faq"])
def test_query_count_is_constant_when_articles_grow(client, page):
    section = SectionFactory()
    few = _fill(section, 2)
    urls = {
        "home": "/fi/",
        "category": f"/fi/categories/{section.category.slug}/",
        "section": f"/fi/categories/{section.category.slug}/{section.slug}/",
        "article": f"/fi/articles/{few[0].pk}/artikkeli-0/",
        "faq": "/fi/faq/",
    }
    small = _queries(client, urls[page])
    _fill(section, 12)
    assert _queries(client, urls[page]) == small


def test_cached_article_page_needs_no_query(client, django_assert_num_queries):
    article = make_article()
    client.get(article.get_absolute_url())
    with django_assert_num_queries(0):
        assert client.get(article.get_absolute_url()).status_code == 200


def test_article_view_is_counted_in_batches_not_per_request(client):
    from helpdesk.events import flush_event_buffer
    from helpdesk.models import Event

    article = make_article()
    client.get(article.get_absolute_url())
    with CaptureQueriesContext(connection) as ctx:
        client.get(article.get_absolute_url())
    writes = [
        q
        for q in ctx.captured_queries
        if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE"))
    ]
    assert writes == []
    flush_event_buffer()
    article.refresh_from_db()
    assert article.view_count == 2
    assert Event.objects.filter(kind="kb.article_viewed").count() == 2
