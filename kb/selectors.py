"""Help-center reads: pages as plain, cacheable data, with the default-language fallback."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Prefetch, Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import override

from .models import (
    Article,
    Category,
    CategoryTranslation,
    Faq,
    Section,
    SectionTranslation,
    Visibility,
)
from .services import content_version

PAGE_CACHE_SECONDS = 10 * 60
POPULAR_COUNT = 6
RECENT_COUNT = 6
HOME_FAQ_COUNT = 5
RELATED_COUNT = 5


def audience_for(user) -> str:
    return "agents" if getattr(user, "is_agent", False) else "public"


def default_language() -> str:
    return settings.LANGUAGE_CODE


def _cached(name: str, language: str, audience: str, build: Callable[[], Any], *args) -> Any:
    key = f"kb:{content_version()}:{audience}:{language}:{name}:{':'.join(map(str, args))}"
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value if value is not None else "", PAGE_CACHE_SECONDS)
    return value or None


def _url(name: str, language: str, **kwargs) -> str:
    with override(language):
        return reverse(name, kwargs=kwargs)


def _visible_articles(audience: str, language: str):
    qs = Article.objects.published()
    if audience != "agents":
        qs = qs.filter(visibility=Visibility.PUBLIC)
    # The reader's language, plus what we fall back to: default-language rows and originals.
    return (
        qs.filter(Q(language=language) | Q(language=default_language()) | Q(source__isnull=True))
        .select_related("live_revision")
        # Lists need titles and summaries only: leave the bodies in the database.
        .defer("body", "live_revision__body", "live_revision__body_html", "live_revision__toc")
        .order_by("position", "id")
    )


def _best_per_group(rows: Iterable[Article], language: str) -> list[Article]:
    """One article per group: the reader's language, else the default one, else the original."""

    def rank(article: Article) -> int:
        if article.language == language:
            return 0
        return 1 if article.language == default_language() else 2

    best: dict[int, Article] = {}
    order: list[int] = []
    for article in rows:
        group = article.group_id
        if group not in best:
            order.append(group)
            best[group] = article
        elif rank(article) < rank(best[group]):
            best[group] = article
    return [best[g] for g in order]


def _card(article: Article, language: str) -> dict:
    live = article.live_revision
    return {
        "id": article.group_id,
        "article_id": article.pk,
        "title": live.title,
        "summary": live.summary,
        "url": article.get_absolute_url()
        if article.language == language
        else _url("kb-article", language, pk=article.group_id, slug=article.slug),
        "language": article.language,
        "is_fallback": article.language != language,
        "is_internal": article.visibility == Visibility.INTERNAL,
    }


def _name(translations: Iterable, language: str, fallback: str) -> dict:
    by_lang = {t.language: t for t in translations}
    chosen = (
        by_lang.get(language)
        or by_lang.get(default_language())
        or next(iter(by_lang.values()), None)
    )
    if chosen is None:
        return {"name": fallback, "description": "", "language": language}
    return {"name": chosen.name, "description": chosen.description, "language": chosen.language}


def _translations_prefetch(language: str, model=CategoryTranslation) -> Prefetch:
    languages = {language, default_language()}
    return Prefetch("translations", queryset=model.objects.filter(language__in=languages))


def _category_dict(category: Category, language: str) -> dict:
    return {
        "slug": category.slug,
        "icon": category.icon,
        "url": _url("kb-category", language, slug=category.slug),
        **_name(category.translations.all(), language, category.slug),
    }


def _section_dict(section: Section, language: str) -> dict:
    return {
        "slug": section.slug,
        "url": _url("kb-section", language, category=section.category.slug, slug=section.slug),
        **_name(section.translations.all(), language, section.slug),
    }


def home_page(*, language: str, audience: str) -> dict:
    return _cached("home", language, audience, lambda: _build_home(language, audience))


def _build_home(language: str, audience: str) -> dict:
    categories = list(Category.objects.prefetch_related(_translations_prefetch(language)))
    visible = _visible_articles(audience, language)
    popular = _best_per_group(visible.order_by("-view_count", "id")[:60], language)
    recent = _best_per_group(visible.order_by("-published_at", "-id")[:60], language)
    counts = dict(
        visible.order_by()
        .values("section__category_id")
        .annotate(n=Count(Coalesce("source_id", "id"), distinct=True))
        .values_list("section__category_id", "n")
    )
    faqs = _best_faqs(Faq.objects.published().order_by("-open_count", "position"), language)
    return {
        "categories": [
            {**_category_dict(c, language), "article_count": counts.get(c.pk, 0)}
            for c in categories
        ],
        "popular": [_card(a, language) for a in popular[:POPULAR_COUNT]],
        "recent": [_card(a, language) for a in recent[:RECENT_COUNT]],
        "faqs": faqs[:HOME_FAQ_COUNT],
    }


def category_page(*, slug: str, language: str, audience: str) -> dict | None:
    return _cached(
        "category", language, audience, lambda: _build_category(slug, language, audience), slug
    )


def _build_category(slug: str, language: str, audience: str) -> dict | None:
    category = (
        Category.objects.prefetch_related(_translations_prefetch(language))
        .filter(slug=slug)
        .first()
    )
    if category is None:
        return None
    sections = list(
        Section.objects.filter(category=category)
        .select_related("category")
        .prefetch_related(_translations_prefetch(language, SectionTranslation))
    )
    articles = _best_per_group(
        _visible_articles(audience, language).filter(section__category=category), language
    )
    by_section: dict[int, list[dict]] = {}
    for article in articles:
        by_section.setdefault(article.section_id, []).append(_card(article, language))
    return {
        "category": _category_dict(category, language),
        "sections": [
            {**_section_dict(s, language), "articles": by_section.get(s.pk, [])} for s in sections
        ],
    }


def section_page(*, category: str, slug: str, language: str, audience: str) -> dict | None:
    page = category_page(slug=category, language=language, audience=audience)
    if page is None:
        return None
    section = next((s for s in page["sections"] if s["slug"] == slug), None)
    if section is None:
        return None
    return {"category": page["category"], "section": section}


def article_page(*, group_id: int, language: str, audience: str) -> dict | None:
    return _cached(
        "article",
        language,
        audience,
        lambda: _build_article(group_id, language, audience),
        group_id,
    )


def _build_article(group_id: int, language: str, audience: str) -> dict | None:
    rows = list(
        Article.objects.published()
        .in_group(group_id)
        .filter(visibility__in=_visibilities(audience))
        .select_related("live_revision", "section__category")
    )
    chosen = _best_per_group(rows, language)
    if not chosen:
        return None
    article = chosen[0]
    live = article.live_revision
    section = (
        Section.objects.select_related("category")
        .prefetch_related("translations", "category__translations")
        .get(pk=article.section_id)
    )
    return {
        "article": {
            **_card(article, language),
            "slug": article.slug,
            "html": live.body_html,
            "toc": live.toc if len(live.toc) >= 3 else [],
            "labels": live.labels,
            "published_at": article.published_at,
            "updated_at": live.created_at,
            "canonical_url": article.get_absolute_url(),
        },
        "category": _category_dict(section.category, language),
        "section": _section_dict(section, language),
        "translations": sorted(
            ({"language": a.language, "url": a.get_absolute_url()} for a in rows),
            key=lambda t: t["language"],
        ),
        "related": _related(article, live.labels, language, audience),
    }


def _visibilities(audience: str) -> list[str]:
    return list(Visibility.values) if audience == "agents" else [Visibility.PUBLIC]


def _related(article: Article, labels: list[str], language: str, audience: str) -> list[dict]:
    """Articles from the same section or sharing labels, most shared labels first."""
    candidates = (
        _visible_articles(audience, language)
        .filter(Q(section_id=article.section_id) | Q(labels__name__in=labels))
        .exclude(pk=article.group_id)
        .exclude(source_id=article.group_id)
        .distinct()[:50]
    )
    best = _best_per_group(candidates, language)
    wanted = set(labels)

    def score(a: Article) -> tuple:
        shared = len(wanted & set(a.live_revision.labels))
        return (-shared, a.section_id != article.section_id, a.position, a.pk)

    return [_card(a, language) for a in sorted(best, key=score)[:RELATED_COUNT]]


def _best_faqs(queryset, language: str) -> list[dict]:
    rows = queryset.filter(
        Q(language=language) | Q(language=default_language()) | Q(source__isnull=True)
    ).select_related("category")
    best: dict[int, Faq] = {}
    order: list[int] = []
    for faq in rows:
        group = faq.group_id
        if group not in best:
            order.append(group)
            best[group] = faq
        elif faq.language == language and best[group].language != language:
            best[group] = faq
    return [
        {
            "id": g,
            "question": best[g].question,
            "answer_html": best[g].answer_html,
            "category_id": best[g].category_id,
            "language": best[g].language,
            "is_fallback": best[g].language != language,
            "url": _url("kb-faq-detail", language, pk=g),
            "anchor": f"faq-{g}",
        }
        for g in order
    ]


def faq_page(*, language: str, audience: str) -> dict:
    return _cached("faq", language, audience, lambda: _build_faq(language))


def _build_faq(language: str) -> dict:
    categories = list(Category.objects.prefetch_related(_translations_prefetch(language)))
    faqs = _best_faqs(Faq.objects.published().order_by("position", "id"), language)
    groups = []
    for category in categories:
        items = [f for f in faqs if f["category_id"] == category.pk]
        if items:
            groups.append({**_category_dict(category, language), "faqs": items})
    return {"groups": groups}


def faq_detail(*, group_id: int, language: str, audience: str) -> dict | None:
    page = faq_page(language=language, audience=audience)
    for group in page["groups"]:
        for faq in group["faqs"]:
            if faq["id"] == group_id:
                return {"category": group, "faq": faq}
    return None


def category_choices(language: str) -> list[tuple[str, str]]:
    """(slug, name) of every category, for the search filter."""
    page = home_page(language=language, audience="public")
    return [(c["slug"], c["name"]) for c in page["categories"]]
