"""Translations link to their source, fall back to the default language, and go out of date."""

import pytest

from kb import services
from kb.services import KbError
from tests.kb.factories import SectionFactory, make_article

pytestmark = pytest.mark.django_db


def test_translation_is_flagged_outdated_when_its_source_is_republished():
    source = make_article(title="Returns", body="30 days")
    finnish = make_article(source=source, language="fi", title="Palautukset", body="30 päivää")
    assert not finnish.is_outdated

    services.save_article_draft(article=source, title="Returns", summary="", body="60 days")
    services.publish_article(article=source)
    finnish.refresh_from_db()
    assert finnish.is_outdated

    services.save_article_draft(article=finnish, title="Palautukset", summary="", body="60 päivää")
    finnish.refresh_from_db()
    assert not finnish.is_outdated


def test_reader_gets_the_default_language_with_a_notice_when_no_translation_exists(client):
    article = make_article(title="Track your order")
    response = client.get(f"/fi/articles/{article.pk}/{article.slug}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Track your order" in html
    assert "ei ole vielä saatavilla" in html  # the Finnish notice that English is shown
    assert f'<link rel="canonical" href="http://testserver/en/articles/{article.pk}/' in html


def test_reader_gets_the_translation_when_it_is_published(client):
    source = make_article(title="Track your order")
    make_article(source=source, language="ar", title="تتبع طلبك", body="افتح طلباتي")
    html = client.get(f"/ar/articles/{source.pk}/{source.slug}/", follow=True).content.decode()
    assert "تتبع طلبك" in html
    assert 'hreflang="en"' in html and 'hreflang="ar"' in html


def test_draft_translation_is_not_shown_and_the_source_is_used_instead(client):
    source = make_article(title="Track your order")
    make_article(source=source, language="zh-hans", title="跟踪订单", publish=False)
    html = client.get(f"/zh-hans/articles/{source.pk}/{source.slug}/").content.decode()
    assert "Track your order" in html and "跟踪订单" not in html


def test_duplicate_as_translation_starts_a_draft_from_the_source_text():
    source = make_article(title="Returns", body="Send it back")
    draft = services.duplicate_as_translation(article=source, language="fi")
    assert draft.source_id == source.pk and draft.language == "fi"
    assert draft.status == "draft" and draft.body == "Send it back"
    with pytest.raises(KbError, match="already exists"):
        services.duplicate_as_translation(article=source, language="fi")


def test_translation_in_the_source_language_is_refused():
    source = make_article(section=SectionFactory())
    with pytest.raises(KbError):
        services.create_article(section=source.section, language="en", title="x", source=source)
