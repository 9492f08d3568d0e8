"""The search page and the suggestion API: shareable, bounded, logged, never a dead end."""

import pytest

from helpdesk.events import flush_event_buffer
from helpdesk.models import Event

pytestmark = pytest.mark.django_db


def test_results_page_shows_highlighted_results_at_a_shareable_url(client, corpus):
    response = client.get("/en/search/", {"q": "return policy"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Our return policy" in html and "<mark" in html
    assert 'name="q"' in html and 'value="return policy"' in html


def test_result_links_record_the_click_and_lead_to_the_article(client, corpus):
    client.get("/en/search/", {"q": "return policy"})
    article = corpus["en_return"]
    response = client.get(f"/en/search/go/abc123/article/{article.pk}/", {"pos": "1"})
    assert response.status_code == 302 and response["Location"] == article.get_absolute_url()
    flush_event_buffer()
    performed = Event.objects.get(kind="search.performed")
    assert performed.data["query"] == "return policy" and performed.data["results"] >= 1
    assert performed.language == "en" and performed.visitor_id
    click = Event.objects.get(kind="search.result_clicked")
    assert click.data == {
        "search_id": "abc123",
        "kind": "article",
        "group": article.pk,
        "position": 1,
    }


def test_search_with_no_results_is_logged_and_offers_the_contact_options(client, corpus):
    html = client.get("/fi/search/", {"q": "zzxqv"}).content.decode()
    assert "Tarvitsetko vielä apua?" in html  # "Still need help?" with chat and message
    flush_event_buffer()
    assert Event.objects.get(kind="search.performed").data["results"] == 0


def test_absurd_page_numbers_get_a_clear_400(client, corpus):
    response = client.get("/en/search/", {"q": "return", "page": "99999"})
    assert response.status_code == 400
    assert "Some search options were not valid" in response.content.decode()


def test_very_long_query_is_trimmed_with_a_notice(client, corpus):
    response = client.get("/en/search/", {"q": "return " * 300})
    assert response.status_code == 200
    assert "first 200 characters" in response.content.decode()


def test_category_and_language_filters_narrow_the_results(client, corpus):
    html = client.get("/en/search/", {"q": "return", "in_language": "zh-hans"}).content.decode()
    assert "Our return policy" not in html
    other = client.get("/en/search/", {"q": "return", "category": "no-such-topic"}).content.decode()
    assert "Our return policy" not in other


def test_suggest_api_returns_top_public_articles_as_you_type(client, corpus):
    response = client.get("/api/v1/search/suggest", {"q": "retu", "lang": "en"})
    assert response.status_code == 200
    titles = [s["title"] for s in response.json()]
    assert "Our return policy" in titles and "Return fraud procedure" not in titles
    assert client.get("/api/v1/search/suggest", {"q": "退", "lang": "zh-hans"}).json()


def test_suggest_api_refuses_unknown_languages_clearly(client, corpus):
    response = client.get("/api/v1/search/suggest", {"q": "x", "lang": "xx"})
    assert response.status_code == 400 and "lang" in response.json()
