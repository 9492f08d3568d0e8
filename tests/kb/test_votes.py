"""'Was this helpful?' counts one vote per visitor and article, and asks why on 'no'."""

import pytest

from helpdesk.models import Event
from kb import services
from kb.models import ArticleVote
from tests.kb.factories import make_article

pytestmark = pytest.mark.django_db


def test_second_vote_by_the_same_visitor_replaces_the_first():
    article = make_article()
    services.record_vote(article=article, visitor_id="v1", value="up")
    services.record_vote(article=article, visitor_id="v1", value="up")
    services.record_vote(article=article, visitor_id="v1", value="down", reason="outdated")
    services.record_vote(article=article, visitor_id="v2", value="up")
    article.refresh_from_db()
    assert ArticleVote.objects.count() == 2
    assert (article.helpful_count, article.not_helpful_count) == (1, 1)
    assert Event.objects.filter(kind="kb.article_voted").count() == 3  # the repeat is not an event


def test_vote_through_the_page_asks_for_a_reason_after_no(client):
    article = make_article()
    client.get(article.get_absolute_url())  # gets the visitor cookie
    url = f"/en/articles/{article.pk}/vote"
    response = client.post(url, {"value": "down"})
    assert response.status_code == 302 and "feedback=down" in response["Location"]
    page = client.get(response["Location"]).content.decode()
    assert "What was wrong?" in page and 'name="reason"' in page

    response = client.post(url, {"value": "down", "reason": "unclear", "comment": "Step 3?"})
    assert "feedback=thanks" in response["Location"]
    vote = ArticleVote.objects.get()
    assert (vote.value, vote.reason, vote.comment) == ("down", "unclear", "Step 3?")


def test_invalid_vote_gets_a_clear_message_and_records_nothing(client):
    article = make_article()
    response = client.post(f"/en/articles/{article.pk}/vote", {"value": "maybe"}, follow=True)
    assert "We could not record your answer" in response.content.decode()
    assert ArticleVote.objects.count() == 0


def test_vote_on_a_draft_article_is_404(client):
    article = make_article(publish=False)
    assert client.post(f"/en/articles/{article.pk}/vote", {"value": "up"}).status_code == 404
