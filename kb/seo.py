"""robots.txt and sitemap.xml: only published, public pages, with language alternates."""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import override

from .models import Article, Category, Faq
from .services import content_version

SITEMAP_CACHE_SECONDS = 15 * 60


def robots_txt(request: HttpRequest) -> HttpResponse:
    lines = [
        "User-agent: *",
        "Disallow: /desk/",
        "Disallow: /admin/",
        "Disallow: /api/",
        "Disallow: /accounts/",
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


def _localized(name: str, language: str, **kwargs) -> str:
    with override(language):
        return reverse(name, kwargs=kwargs)


def _article_entries(request: HttpRequest) -> list[dict]:
    rows = (
        Article.objects.public()
        .order_by("source_id", "id")
        .values("id", "source_id", "slug", "language", "updated_at")
    )
    groups: dict[int, list[dict]] = {}
    for row in rows:
        groups.setdefault(row["source_id"] or row["id"], []).append(row)
    entries = []
    for group_id, members in groups.items():
        alternates = [
            {
                "language": m["language"],
                "url": request.build_absolute_uri(
                    _localized("kb-article", m["language"], pk=group_id, slug=m["slug"])
                ),
            }
            for m in members
        ]
        for member, alternate in zip(members, alternates, strict=True):
            entries.append(
                {"url": alternate["url"], "lastmod": member["updated_at"], "alternates": alternates}
            )
    return entries


def _listing_entries(request: HttpRequest) -> list[dict]:
    names = [("home", {})] + [
        ("kb-category", {"slug": s}) for s in Category.objects.values_list("slug", flat=True)
    ]
    if Faq.objects.published().exists():
        names.append(("kb-faq", {}))
    entries = []
    languages = [code for code, _ in settings.LANGUAGES]
    for name, kwargs in names:
        alternates = [
            {"language": code, "url": request.build_absolute_uri(_localized(name, code, **kwargs))}
            for code in languages
        ]
        entries += [
            {"url": a["url"], "lastmod": None, "alternates": alternates} for a in alternates
        ]
    return entries


def sitemap_xml(request: HttpRequest) -> HttpResponse:
    # Keyed on the content version, so an unpublished article leaves the sitemap at once.
    key = f"kb:{content_version()}:sitemap:{request.get_host()}"
    xml = cache.get(key)
    if xml is None:
        entries = _listing_entries(request) + _article_entries(request)
        xml = render_to_string("kb/sitemap.xml", {"entries": entries})
        cache.set(key, xml, SITEMAP_CACHE_SECONDS)
    return HttpResponse(xml, content_type="application/xml; charset=utf-8")
