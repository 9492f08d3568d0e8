"""Knowledge-base writes: drafts and revisions, publishing, translations, votes, view counts."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Max, Q
from django.utils import timezone
from django.utils.text import slugify

from helpdesk.events import buffer_event, record_event
from helpdesk.markdown import render_markdown

from .models import Article, ArticleRevision, ArticleVote, Faq, Label, Section, Status, Vote

CACHE_VERSION_KEY = "kb:cache-version"
VOTE_REASONS = ("outdated", "unclear", "incomplete", "wrong", "other")


class KbError(Exception):
    """A knowledge-base rule was broken; the message is safe to show to the user."""


def content_version() -> int:
    """The version stamp of every cached public page; bumped on each publish."""
    version = cache.get(CACHE_VERSION_KEY)
    if version is None:
        version = int(timezone.now().timestamp())
        cache.add(CACHE_VERSION_KEY, version, timeout=None)
    return version


def invalidate_public_pages() -> None:
    """Make every cached help-center page stale (called on publish, unpublish, edits)."""
    try:
        cache.incr(CACHE_VERSION_KEY)
    except ValueError:
        cache.set(CACHE_VERSION_KEY, int(timezone.now().timestamp()), timeout=None)


def invalidate_after_commit() -> None:
    """Bump now and again after commit: a page rebuilt in between would hold the old text."""
    invalidate_public_pages()
    transaction.on_commit(invalidate_public_pages)


def resolve_internal_link(language: str):
    """Resolver for `article:slug` / `faq:slug` links written in Markdown."""

    def resolve(kind: str, slug: str) -> str | None:
        if kind != "article":
            return None
        article = (
            Article.objects.filter(slug=slug).order_by(F("source_id").asc(nulls_first=True)).first()
        )
        if article is None:
            return None
        translated = Article.objects.in_group(article.group_id).filter(language=language).first()
        return (translated or article).get_absolute_url()

    return resolve


def _set_labels(article: Article, labels: list[str]) -> list[str]:
    names = sorted(
        {slugify(n, allow_unicode=True)[:50] for n in labels if slugify(n, allow_unicode=True)}
    )
    objs = [Label.objects.get_or_create(name=name)[0] for name in names]
    article.labels.set(objs)
    return names


@transaction.atomic
def save_article_draft(
    *,
    article: Article,
    title: str,
    summary: str,
    body: str,
    labels: list[str] | None = None,
    author=None,
    note: str = "",
) -> ArticleRevision | None:
    """Store new content as a revision; readers keep seeing the live revision until publish.

    Returns the new revision, or None when nothing changed.
    """
    article = Article.objects.select_for_update().get(pk=article.pk)
    # Browsers send CRLF from textareas: store one form, so "no change" really is no change.
    title, summary, body = title.strip(), summary.strip(), body.replace("\r\n", "\n")
    label_names = _set_labels(article, labels) if labels is not None else _label_names(article)
    latest = article.revisions.order_by("-number").first()
    if latest and (latest.title, latest.summary, latest.body, latest.labels) == (
        title,
        summary,
        body,
        label_names,
    ):
        return None
    rendered = render_markdown(body, resolve_link=resolve_internal_link(article.language))
    revision = ArticleRevision.objects.create(
        article=article,
        number=(latest.number + 1) if latest else 1,
        title=title,
        summary=summary,
        body=body,
        body_html=rendered.html,
        toc=rendered.toc,
        labels=label_names,
        author=author,
        note=note[:200],
    )
    article.title, article.summary, article.body = title, summary, body
    fields = ["title", "summary", "body", "updated_at"]
    if article.source_id:
        # Saving a translation brings it up to date with the source's current text.
        article.translated_from = article.source.live_revision or article.source.revisions.first()
        article.is_outdated = False
        fields += ["translated_from", "is_outdated"]
    article.save(update_fields=fields)
    return revision


def _label_names(article: Article) -> list[str]:
    return sorted(article.labels.values_list("name", flat=True))


def _unique_slug(title: str, language: str, section: Section) -> str:
    base = slugify(title, allow_unicode=True)[:100] or "article"
    slug, n = base, 2
    while Article.objects.filter(slug=slug, language=language).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def create_article(
    *,
    section: Section,
    language: str,
    title: str,
    body: str = "",
    summary: str = "",
    labels: list[str] | None = None,
    visibility: str = "public",
    author=None,
    source: Article | None = None,
    slug: str = "",
    position: int = 0,
) -> Article:
    """Create a draft article (or a translation of `source`) with its first revision."""
    if source is not None:
        if source.source_id:
            raise KbError("Translate the original article, not another translation.")
        if source.language == language:
            raise KbError("A translation must be in another language than its source.")
        if Article.objects.filter(source=source, language=language).exists():
            raise KbError(f"A {language} translation of this article already exists.")
    article = Article.objects.create(
        section=section,
        language=language,
        source=source,
        slug=slug or _unique_slug(title, language, section),
        title=title,
        summary=summary,
        body=body,
        visibility=visibility,
        author=author,
        position=position,
    )
    save_article_draft(
        article=article, title=title, summary=summary, body=body, labels=labels or [], author=author
    )
    return article


@transaction.atomic
def publish_article(*, article: Article, user=None) -> Article:
    """Make the latest revision live; an original's translations become outdated."""
    article = Article.objects.select_for_update().get(pk=article.pk)
    latest = article.revisions.order_by("-number").first()
    if latest is None:
        raise KbError("The article has no content to publish.")
    previous = article.live_revision
    article.live_revision = latest
    article.status = Status.PUBLISHED
    article.published_at = article.published_at or timezone.now()
    article.save(update_fields=["live_revision", "status", "published_at", "updated_at"])
    if article.source_id is None and _content_changed(previous, latest):
        article.translations.exclude(translated_from=latest).update(is_outdated=True)
    record_event(
        kind="kb.article_published",
        language=article.language,
        data={"article": article.pk, "revision": latest.number, "by": getattr(user, "pk", None)},
    )
    invalidate_after_commit()
    return article


def _content_changed(previous: ArticleRevision | None, latest: ArticleRevision) -> bool:
    """Did the text readers see change? (Restoring the live text again is not a change.)"""
    if previous is None:
        return False
    fields = ("title", "summary", "body")
    return any(getattr(previous, f) != getattr(latest, f) for f in fields)


def _set_status(article: Article, status: str) -> Article:
    article.refresh_from_db()
    article.status = status
    article.save(update_fields=["status", "updated_at"])  # a save: the index hears of it
    invalidate_after_commit()
    return article


def unpublish_article(*, article: Article) -> Article:
    """Take an article off the help center; it returns to draft, its revisions kept."""
    return _set_status(article, Status.DRAFT)


def archive_article(*, article: Article) -> Article:
    """Retire an article: hidden from readers and search, kept with its history."""
    return _set_status(article, Status.ARCHIVED)


def submit_for_review(*, article: Article) -> Article:
    if article.status == Status.PUBLISHED:
        return article  # the live version stays; the pending draft is shown as such in admin
    return _set_status(article, Status.IN_REVIEW)


def restore_revision(*, revision: ArticleRevision, user=None) -> ArticleRevision | None:
    """Bring an old revision back as the newest draft (history is never rewritten)."""
    return save_article_draft(
        article=revision.article,
        title=revision.title,
        summary=revision.summary,
        body=revision.body,
        labels=revision.labels,
        author=user,
        note=f"Restored from revision {revision.number}",
    )


def duplicate_as_translation(*, article: Article, language: str, user=None) -> Article:
    """Start a draft translation from the original's current text, for a translator to edit."""
    original = article.source or article
    content = original.live_revision or original.revisions.order_by("-number").first()
    return create_article(
        section=original.section,
        language=language,
        title=content.title if content else original.title,
        summary=content.summary if content else original.summary,
        body=content.body if content else original.body,
        labels=list(content.labels) if content else [],
        visibility=original.visibility,
        author=user,
        source=original,
        slug=original.slug,
        position=original.position,
    )


@dataclass(frozen=True)
class VoteResult:
    vote: ArticleVote
    is_new: bool
    is_changed: bool


@transaction.atomic
def record_vote(
    *,
    article: Article,
    visitor_id: str,
    value: str,
    reason: str = "",
    comment: str = "",
    session_id: str = "",
    contact_id: int | None = None,
) -> VoteResult:
    """One vote per visitor and article: a second vote replaces the first, never adds."""
    if value not in Vote.values:
        raise KbError("A vote is either yes or no.")
    if not visitor_id:
        raise KbError("Votes need a visitor id (cookies are off?).")
    reason = reason if (value == Vote.NOT_HELPFUL and reason in VOTE_REASONS) else ""
    fields = {"value": value, "reason": reason, "comment": comment[:1000], "contact_id": contact_id}
    try:
        with transaction.atomic():
            vote, is_new = ArticleVote.objects.get_or_create(
                article=article, visitor_id=visitor_id, defaults=fields
            )
    except IntegrityError:  # a concurrent first vote by the same visitor won the race
        vote, is_new = ArticleVote.objects.get(article=article, visitor_id=visitor_id), False
    is_changed = not is_new and (vote.value, vote.reason, vote.comment) != (
        value,
        reason,
        fields["comment"],
    )
    if is_changed:
        for key, val in fields.items():
            setattr(vote, key, val)
        vote.save(update_fields=[*fields, "updated_at"])
    if is_new or is_changed:
        _recount_votes(article)
        record_event(
            kind="kb.article_voted",
            visitor_id=visitor_id,
            session_id=session_id,
            contact_id=contact_id,
            language=article.language,
            data={"article": article.pk, "group": article.group_id, "value": value,
                  "reason": reason, "changed": is_changed},
        )  # fmt: skip
    return VoteResult(vote=vote, is_new=is_new, is_changed=is_changed)


def _recount_votes(article: Article) -> None:
    counts = article.votes.aggregate(
        up=Count("pk", filter=Q(value=Vote.HELPFUL)),
        down=Count("pk", filter=Q(value=Vote.NOT_HELPFUL)),
    )
    Article.objects.filter(pk=article.pk).update(
        helpful_count=counts["up"], not_helpful_count=counts["down"]
    )


def record_article_view(
    *, article_id: int, group_id: int, language: str, visitor_id: str, session_id: str
) -> None:
    """Count a page view without a database write on the request path (batched)."""
    buffer_event(
        kind="kb.article_viewed",
        visitor_id=visitor_id,
        session_id=session_id,
        language=language,
        data={"article": article_id, "group": group_id},
    )


def record_faq_opened(*, faq_id: int, language: str, visitor_id: str, session_id: str) -> None:
    buffer_event(
        kind="kb.faq_opened",
        visitor_id=visitor_id,
        session_id=session_id,
        language=language,
        data={"faq": faq_id},
    )


def apply_view_counts(events) -> None:
    """Flush hook: add batched article views to each article's counter in one UPDATE each."""
    counts: dict[int, int] = {}
    for event in events:
        article_id = event.data.get("article")
        if isinstance(article_id, int):
            counts[article_id] = counts.get(article_id, 0) + 1
    for article_id, n in counts.items():
        Article.objects.filter(pk=article_id).update(view_count=F("view_count") + n)


def apply_faq_counts(events) -> None:
    counts: dict[int, int] = {}
    for event in events:
        faq_id = event.data.get("faq")
        if isinstance(faq_id, int):
            counts[faq_id] = counts.get(faq_id, 0) + 1
    for faq_id, n in counts.items():
        Faq.objects.filter(pk=faq_id).update(open_count=F("open_count") + n)


@transaction.atomic
def save_faq(
    *,
    faq: Faq,
    question: str,
    answer: str,
) -> Faq:
    """Update a FAQ's text; rendering happens here, once, not on every page view."""
    faq.question, faq.answer = question, answer
    faq.answer_html = render_markdown(answer, resolve_link=resolve_internal_link(faq.language)).html
    faq.save(update_fields=["question", "answer", "answer_html", "updated_at"])
    if faq.source_id is None:
        faq.translations.update(is_outdated=True)
    else:
        Faq.objects.filter(pk=faq.pk).update(is_outdated=False)
    invalidate_after_commit()
    return faq


@transaction.atomic
def create_faq(
    *,
    category,
    language: str,
    question: str,
    answer: str,
    source: Faq | None = None,
    status: str = Status.DRAFT,
    position: int | None = None,
) -> Faq:
    if source is not None:
        if source.source_id:
            raise KbError("Translate the original question, not another translation.")
        if source.language == language:
            raise KbError("A translation must be in another language than its source.")
        if Faq.objects.filter(source=source, language=language).exists():
            raise KbError(f"A {language} translation of this question already exists.")
    if position is None:
        highest = Faq.objects.filter(category=category).aggregate(m=Max("position"))["m"]
        position = (highest or 0) + 1
    faq = Faq.objects.create(
        category=category,
        language=language,
        source=source,
        question=question,
        answer=answer,
        status=status,
        position=position,
    )
    return save_faq(faq=faq, question=question, answer=answer)


def set_faq_status(*, faq: Faq, status: str) -> Faq:
    faq.refresh_from_db()
    faq.status = status
    faq.save(update_fields=["status", "updated_at"])
    invalidate_after_commit()
    return faq


def update_article_settings(
    *,
    article: Article,
    visibility: str | None = None,
    position: int | None = None,
    section: Section | None = None,
    slug: str | None = None,
) -> Article:
    """Change where and to whom an article shows; its text and revisions stay as they are."""
    pairs = (("visibility", visibility), ("position", position), ("section", section),
             ("slug", slug))  # fmt: skip
    changes = {name: value for name, value in pairs if value is not None}
    if changes:
        article.refresh_from_db()
        for name, value in changes.items():
            setattr(article, name, value)
        article.save(update_fields=[*changes, "updated_at"])  # a save: the index hears of it
        invalidate_after_commit()
    return article
