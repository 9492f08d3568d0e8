"""Article files: raster images inline, the rest sandboxed downloads, drafts' files hidden."""

import pytest
from django.core.files.base import ContentFile

from kb.models import ArticleAttachment
from tests.kb.factories import make_article

pytestmark = pytest.mark.django_db


def _attach(article, name: str, content_type: str, data: bytes = b"x") -> ArticleAttachment:
    return ArticleAttachment.objects.create(
        article=article, file=ContentFile(data, name=name), filename=name,
        content_type=content_type, size=len(data),
    )  # fmt: skip


def test_png_is_shown_inline_and_svg_is_only_downloaded(client):
    article = make_article()
    png = client.get(_attach(article, "map.png", "image/png").get_absolute_url())
    assert png.status_code == 200 and png["Content-Type"] == "image/png"
    assert png["Content-Disposition"].startswith("inline;")
    svg = client.get(
        _attach(article, "x.svg", "image/svg+xml", b"<svg onload=alert(1)>").get_absolute_url()
    )
    assert svg["Content-Type"] == "application/octet-stream"
    assert svg["Content-Disposition"].startswith("attachment;")
    assert (
        svg["X-Content-Type-Options"] == "nosniff" and "sandbox" in svg["Content-Security-Policy"]
    )


def test_files_of_unpublished_or_internal_articles_are_404_for_the_public(client, agent):
    draft = _attach(make_article(publish=False), "plan.pdf", "application/pdf")
    internal = _attach(make_article(visibility="internal"), "fraud.pdf", "application/pdf")
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert client.get(internal.get_absolute_url()).status_code == 404
    client.force_login(agent)
    assert client.get(internal.get_absolute_url()).status_code == 200
