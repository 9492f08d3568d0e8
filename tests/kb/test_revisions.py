"""Every content change is a revision; published text stays live until the next publish."""

import pytest

from kb import services
from kb.models import Article, Status
from tests.kb.factories import make_article

pytestmark = pytest.mark.django_db


def test_each_content_change_adds_a_revision_and_no_change_adds_none():
    article = make_article(publish=False)
    assert article.revisions.count() == 1
    services.save_article_draft(article=article, title="New", summary="", body="v2")
    assert services.save_article_draft(article=article, title="New", summary="", body="v2") is None
    assert list(article.revisions.values_list("number", flat=True)) == [2, 1]


def test_published_text_stays_live_when_a_draft_edit_is_saved(client):
    article = make_article(title="Live title", body="Live body")
    services.save_article_draft(article=article, title="Draft title", summary="", body="Draft body")
    article.refresh_from_db()
    assert article.status == Status.PUBLISHED and article.has_unpublished_changes
    html = client.get(article.get_absolute_url()).content.decode()
    assert "Live title" in html and "Live body" in html
    assert "Draft" not in html

    services.publish_article(article=article)
    html = client.get(article.get_absolute_url(), follow=True).content.decode()
    assert "Draft title" in html and "Draft body" in html


def test_restoring_an_old_revision_makes_it_the_newest_draft():
    article = make_article(title="First", body="one")
    services.save_article_draft(article=article, title="Second", summary="", body="two")
    first = article.revisions.get(number=1)
    restored = services.restore_revision(revision=first)
    assert restored.number == 3 and restored.title == "First" and restored.body == "one"
    assert "Restored from revision 1" in restored.note
    article.refresh_from_db()
    assert article.title == "First"
    assert article.revisions.count() == 3  # history is kept, never rewritten


def test_body_is_rendered_once_on_save():
    article = make_article(body="## Heading\n\ntext")
    revision = article.live_revision
    assert '<h2 id="h-heading">' in revision.body_html
    assert revision.toc == [{"id": "h-heading", "name": "Heading", "level": 2}]


def test_archiving_and_unpublishing_change_status_but_keep_history():
    article = make_article()
    services.archive_article(article=article)
    assert Article.objects.get(pk=article.pk).status == Status.ARCHIVED
    services.unpublish_article(article=article)
    assert Article.objects.get(pk=article.pk).status == Status.DRAFT
    assert article.revisions.count() == 1


def test_labels_are_normalised_and_recorded_in_the_revision():
    article = make_article(labels=["Tracking", "delivery ", "tracking"])
    assert article.live_revision.labels == ["delivery", "tracking"]
    assert sorted(article.labels.values_list("name", flat=True)) == ["delivery", "tracking"]
