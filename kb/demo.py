"""Demo help-center content for `manage.py load_demo` (idempotent: matched by slugs)."""

from __future__ import annotations

from pathlib import Path

import yaml
from django.db import transaction

from helpdesk.markdown import render_markdown
from helpdesk.models import User

from . import services
from .models import Article, Category, CategoryTranslation, Faq, Section, SectionTranslation, Status

CONTENT = Path(__file__).with_name("demo_content.yml")
DEFAULT_LANGUAGE = "en"


def load(stdout) -> None:
    data = yaml.safe_load(CONTENT.read_text(encoding="utf-8"))
    author = User.objects.filter(email="admin@example.com").first()
    with transaction.atomic():
        categories = {c["slug"]: _load_category(c, author) for c in data["categories"]}
        for faq in data.get("faqs", []):
            _load_faq(faq, categories[faq["category"]])
    # Second pass: internal `article:slug` links resolve once every article exists.
    for article in Article.objects.filter(body__contains="article:"):
        _rerender(article)
    stdout.write(
        f"Help center: {Article.objects.count()} articles, {Faq.objects.count()} FAQs loaded."
    )


def _load_category(data: dict, author) -> Category:
    category, _ = Category.objects.update_or_create(
        slug=data["slug"],
        defaults={"position": data.get("position", 0), "icon": data.get("icon", "")},
    )
    for lang, text in data["translations"].items():
        CategoryTranslation.objects.update_or_create(
            category=category, language=lang, defaults=text
        )
    for section_data in data.get("sections", []):
        section, _ = Section.objects.update_or_create(
            category=category,
            slug=section_data["slug"],
            defaults={"position": section_data.get("position", 0)},
        )
        for lang, text in section_data["translations"].items():
            SectionTranslation.objects.update_or_create(
                section=section, language=lang, defaults=text
            )
        for article_data in section_data.get("articles", []):
            _load_article(article_data, section, author)
    return category


def _load_article(data: dict, section: Section, author) -> None:
    texts = data["translations"]
    source = _upsert_article(data, section, DEFAULT_LANGUAGE, texts[DEFAULT_LANGUAGE], None, author)
    for lang, text in texts.items():
        if lang != DEFAULT_LANGUAGE:
            _upsert_article(data, section, lang, text, source, author)


def _upsert_article(data, section, lang, text, source, author) -> Article:
    lookup = (
        {"source": source, "language": lang} if source else {"slug": data["slug"], "source": None}
    )
    article = Article.objects.filter(**lookup).first()
    if article is None:
        article = services.create_article(
            section=section,
            language=lang,
            title=text["title"],
            summary=text.get("summary", ""),
            body=text["body"],
            labels=data.get("labels", []),
            visibility=data.get("visibility", "public"),
            author=author,
            source=source,
            slug=data["slug"],
            position=data.get("position", 0),
        )
    else:
        services.save_article_draft(
            article=article,
            title=text["title"],
            summary=text.get("summary", ""),
            body=text["body"],
            labels=data.get("labels", []),
            author=author,
        )
    status = data.get("status", "published")
    if status in (Status.PUBLISHED, Status.ARCHIVED):
        services.publish_article(article=article, user=author)
    if status == Status.ARCHIVED:
        services.archive_article(article=article)
    return article


def _rerender(article: Article) -> None:
    revision = article.revisions.order_by("-number").first()
    if revision is None:
        return
    rendered = render_markdown(
        revision.body, resolve_link=services.resolve_internal_link(article.language)
    )
    if rendered.html != revision.body_html:
        type(revision).objects.filter(pk=revision.pk).update(
            body_html=rendered.html, toc=rendered.toc
        )
        services.invalidate_public_pages()


def _load_faq(data: dict, category: Category) -> None:
    texts = data["translations"]
    english = texts[DEFAULT_LANGUAGE]
    source = Faq.objects.filter(
        category=category, source=None, position=data.get("position", 0)
    ).first()
    source = _upsert_faq(source, category, DEFAULT_LANGUAGE, english, None, data)
    for lang, text in texts.items():
        if lang != DEFAULT_LANGUAGE:
            existing = Faq.objects.filter(source=source, language=lang).first()
            _upsert_faq(existing, category, lang, text, source, data)


def _upsert_faq(faq, category, lang, text, source, data) -> Faq:
    if faq is None:
        return services.create_faq(
            category=category,
            language=lang,
            question=text["question"],
            answer=text["answer"],
            source=source,
            status=Status.PUBLISHED,
            position=data.get("position", 0),
        )
    return services.save_faq(faq=faq, question=text["question"], answer=text["answer"])
