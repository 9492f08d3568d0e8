"""Drafts, archived and internal articles never reach the public; agents see internal ones."""

import pytest

from kb import services
from tests.kb.factories import SectionFactory, make_article

pytestmark = pytest.mark.django_db


@pytest.fixture
def articles():
    section = SectionFactory()
    return {
        "public": make_article(section=section, title="Public article"),
        "draft": make_article(section=section, title="Secret draft", publish=False),
        "archived": services.archive_article(
            article=make_article(section=section, title="Old archived")
        ),
        "internal": make_article(
            section=section, title="Internal procedure", visibility="internal"
        ),
    }


def _public_pages(client, section) -> str:
    urls = ["/en/", f"/en/categories/{section.category.slug}/",
            f"/en/categories/{section.category.slug}/{section.slug}/", "/sitemap.xml"]  # fmt: skip
    return "".join(client.get(u).content.decode() for u in urls)


def test_only_published_public_articles_appear_on_public_pages_and_sitemap(client, articles):
    html = _public_pages(client, articles["public"].section)
    assert "Public article" in html
    assert f"/articles/{articles['public'].pk}/" in html
    for hidden in ("Secret draft", "Old archived", "Internal procedure"):
        assert hidden not in html
    for key in ("draft", "archived", "internal"):
        assert f"/articles/{articles[key].pk}/" not in html


@pytest.mark.parametrize("key", ["draft", "archived", "internal"])
def test_hidden_article_pages_are_404_for_the_public(client, articles, key):
    article = articles[key]
    assert client.get(f"/en/articles/{article.pk}/{article.slug}/").status_code == 404


@pytest.mark.parametrize("key", ["draft", "archived", "internal"])
def test_hidden_article_pages_are_404_for_customers(client, customer, articles, key):
    client.force_login(customer)
    article = articles[key]
    assert client.get(f"/en/articles/{article.pk}/{article.slug}/").status_code == 404


def test_agents_see_internal_articles_marked_as_internal(client, agent, articles):
    client.force_login(agent)
    article = articles["internal"]
    html = client.get(f"/en/articles/{article.pk}/{article.slug}/").content.decode()
    assert "Internal procedure" in html and "visible to agents only" in html
    assert client.get(f"/en/articles/{articles['draft'].pk}/x/").status_code == 404


def test_unpublished_article_leaves_cached_pages_at_once(client, articles):
    public = articles["public"]
    assert "Public article" in client.get("/en/").content.decode()
    services.unpublish_article(article=public)
    assert "Public article" not in client.get("/en/").content.decode()
    assert client.get(public.get_absolute_url()).status_code == 404


def test_wrong_slug_redirects_to_the_canonical_url(client, articles):
    article = articles["public"]
    response = client.get(f"/en/articles/{article.pk}/wrong-slug/")
    assert response.status_code == 301
    assert response["Location"] == article.get_absolute_url()


def test_robots_txt_points_at_the_sitemap(client):
    body = client.get("/robots.txt").content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in body and "Disallow: /desk/" in body
