"""Factories and helpers for knowledge-base tests: they go through kb.services like the admin."""

from __future__ import annotations

import factory

from kb import services
from kb.models import Category, CategoryTranslation, Section, SectionTranslation


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category
        skip_postgeneration_save = True

    slug = factory.Sequence(lambda n: f"category-{n}")
    position = factory.Sequence(int)

    @factory.post_generation
    def names(obj, create, extracted, **kwargs):
        if create:
            for lang, name in (extracted or {"en": f"Category {obj.slug}"}).items():
                CategoryTranslation.objects.create(category=obj, language=lang, name=name)


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Section
        skip_postgeneration_save = True

    category = factory.SubFactory(CategoryFactory)
    slug = factory.Sequence(lambda n: f"section-{n}")

    @factory.post_generation
    def names(obj, create, extracted, **kwargs):
        if create:
            for lang, name in (extracted or {"en": f"Section {obj.slug}"}).items():
                SectionTranslation.objects.create(section=obj, language=lang, name=name)


def make_article(
    *,
    section=None,
    title="How to track your order",
    body="Open **My orders** and pick the order.",
    language="en",
    publish=True,
    visibility="public",
    labels=None,
    source=None,
    summary="Find where your parcel is.",
):
    """Create (and by default publish) an article through the services."""
    article = services.create_article(
        section=section or (source.section if source else SectionFactory()),
        language=language,
        title=title,
        body=body,
        summary=summary,
        labels=labels or [],
        visibility=visibility,
        source=source,
    )
    if publish:
        services.publish_article(article=article)
    article.refresh_from_db()
    return article
