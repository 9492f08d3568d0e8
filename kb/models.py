"""Knowledge-base data: categories, sections, articles with revisions and translations, FAQs."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override

LANGUAGE_CHOICES = settings.LANGUAGES


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("In review")
    PUBLISHED = "published", _("Published")
    ARCHIVED = "archived", _("Archived")


class Visibility(models.TextChoices):
    PUBLIC = "public", _("Public")
    INTERNAL = "internal", _("Internal (agents only)")


class Category(models.Model):
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    position = models.PositiveIntegerField(_("position"), default=0)
    icon = models.CharField(_("icon"), max_length=32, blank=True)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")

    def __str__(self) -> str:
        return self.slug


class NameTranslation(models.Model):
    """A name and description in one language (categories and sections have one per language)."""

    language = models.CharField(_("language"), max_length=16, choices=LANGUAGE_CHOICES)
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.name} ({self.language})"


class CategoryTranslation(NameTranslation):
    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="translations")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["category", "language"], name="uniq_category_lang")
        ]


class Section(models.Model):
    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="sections")
    slug = models.SlugField(_("slug"), max_length=80)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["category__position", "position", "id"]
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        constraints = [
            models.UniqueConstraint(fields=["category", "slug"], name="uniq_section_slug")
        ]

    def __str__(self) -> str:
        return f"{self.category.slug}/{self.slug}"


class SectionTranslation(NameTranslation):
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="translations")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["section", "language"], name="uniq_section_lang")
        ]


class Label(models.Model):
    name = models.SlugField(_("name"), max_length=50, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ArticleQuerySet(models.QuerySet):
    def published(self) -> ArticleQuerySet:
        return self.filter(status=Status.PUBLISHED, live_revision__isnull=False)

    def public(self) -> ArticleQuerySet:
        return self.published().filter(visibility=Visibility.PUBLIC)

    def visible_to(self, user) -> ArticleQuerySet:
        """Published articles this reader may see: internal ones only for agents."""
        if getattr(user, "is_agent", False):
            return self.published()
        return self.public()

    def in_group(self, group_id: int) -> ArticleQuerySet:
        return self.filter(Q(pk=group_id) | Q(source_id=group_id))


class Article(models.Model):
    """One article in one language. A translation points at its source (the original).

    The fields title/summary/body are the working copy that editors change; readers see
    `live_revision`, so editing a published article keeps the published text live until the
    new revision is published.
    """

    section = models.ForeignKey(Section, on_delete=models.PROTECT, related_name="articles")
    language = models.CharField(_("language"), max_length=16, choices=LANGUAGE_CHOICES)
    source = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="translations",
        verbose_name=_("source article"),
        help_text=_("Empty for an original; the original article for a translation."),
    )
    slug = models.SlugField(_("slug"), max_length=120, allow_unicode=True)
    title = models.CharField(_("title"), max_length=200)
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    body = models.TextField(_("body (Markdown)"), blank=True)
    labels = models.ManyToManyField(Label, blank=True, related_name="articles")
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    visibility = models.CharField(
        _("visibility"), max_length=16, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    live_revision = models.ForeignKey(
        "ArticleRevision",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("published revision"),
    )
    translated_from = models.ForeignKey(
        "ArticleRevision",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The source's revision this translation was last brought up to date with."),
    )
    is_outdated = models.BooleanField(
        _("outdated translation"),
        default=False,
        help_text=_("The source changed after this translation was last updated."),
    )
    view_count = models.PositiveIntegerField(_("views"), default=0)
    helpful_count = models.PositiveIntegerField(default=0)
    not_helpful_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        constraints = [
            models.UniqueConstraint(
                fields=["source", "language"],
                condition=Q(source__isnull=False),
                name="uniq_translation_lang",
            ),
            models.CheckConstraint(condition=~Q(source=models.F("id")), name="source_not_self"),
        ]
        indexes = [
            models.Index(fields=["section", "language", "status"], name="article_section_idx"),
            models.Index(fields=["status", "language", "-published_at"], name="article_recent"),
            models.Index(fields=["status", "language", "-view_count"], name="article_popular"),
        ]

    def __str__(self) -> str:
        return f"{self.title} [{self.language}]"

    def get_absolute_url(self) -> str:
        with override(self.language):
            return reverse("kb-article", kwargs={"pk": self.group_id, "slug": self.slug})

    @property
    def group_id(self) -> int:
        """The id shared by an original and its translations (the original's id)."""
        return self.source_id or self.pk

    @property
    def is_translation(self) -> bool:
        return self.source_id is not None

    @property
    def has_unpublished_changes(self) -> bool:
        latest = self.revisions.order_by("-number").values_list("pk", flat=True).first()
        return latest is not None and latest != self.live_revision_id


class ArticleRevision(models.Model):
    """An immutable snapshot of an article's content; every content change adds one."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    summary = models.CharField(max_length=300, blank=True)
    body = models.TextField(blank=True)
    body_html = models.TextField(blank=True, help_text="Sanitised HTML rendered from body.")
    toc = models.JSONField(default=list, blank=True)
    labels = models.JSONField(default=list, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    note = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["article", "number"], name="uniq_revision_number")
        ]

    def __str__(self) -> str:
        return f"{self.article_id} r{self.number}"


def attachment_path(instance: ArticleAttachment, filename: str) -> str:
    # Generated names: the uploader's filename never becomes a path on disk.
    return f"kb/{instance.article_id}/{uuid.uuid4().hex}"


class ArticleAttachment(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=attachment_path)
    filename = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField(default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.filename

    def get_absolute_url(self) -> str:
        return reverse("kb-attachment", kwargs={"pk": self.pk, "filename": self.filename})


class Vote(models.TextChoices):
    HELPFUL = "up", _("Yes")
    NOT_HELPFUL = "down", _("No")


class ArticleVote(models.Model):
    """One reader's answer to "Was this helpful?"; one per visitor and article."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="votes")
    visitor_id = models.CharField(max_length=64)
    value = models.CharField(max_length=4, choices=Vote.choices)
    reason = models.CharField(max_length=32, blank=True)
    comment = models.TextField(blank=True, max_length=1000)
    contact_id = models.BigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["article", "visitor_id"], name="uniq_vote_visitor")
        ]

    def __str__(self) -> str:
        return f"{self.article_id} {self.value}"


class FaqQuerySet(models.QuerySet):
    def published(self) -> FaqQuerySet:
        return self.filter(status=Status.PUBLISHED)


class Faq(models.Model):
    """A question and answer in one language; translations point at their source."""

    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="faqs")
    language = models.CharField(_("language"), max_length=16, choices=LANGUAGE_CHOICES)
    source = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="translations"
    )
    question = models.CharField(_("question"), max_length=300)
    answer = models.TextField(_("answer (Markdown)"))
    answer_html = models.TextField(blank=True, editable=False)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    is_outdated = models.BooleanField(_("outdated translation"), default=False)
    open_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = FaqQuerySet.as_manager()

    class Meta:
        ordering = ["category__position", "position", "id"]
        verbose_name = _("FAQ")
        verbose_name_plural = _("FAQs")
        constraints = [
            models.UniqueConstraint(
                fields=["source", "language"],
                condition=Q(source__isnull=False),
                name="uniq_faq_translation_lang",
            ),
        ]
        indexes = [models.Index(fields=["status", "language"], name="faq_status_lang")]

    def __str__(self) -> str:
        return self.question

    def get_absolute_url(self) -> str:
        with override(self.language):
            return reverse("kb-faq-detail", kwargs={"pk": self.group_id})

    @property
    def group_id(self) -> int:
        return self.source_id or self.pk
