"""Per-subject breakdowns of one UTC day: escalation sources, article views, votes, outdated."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

from django.db.models import Count, Max
from django.db.models.fields.json import KeyTextTransform
from django.utils import timezone

from chatbot.models import Author, Conversation, ConversationMessage
from helpdesk.models import Event
from kb.models import Article, Vote

from .sql import DAY, chunks, day_bounds

Key = tuple[str, str, str]  # metric, language, subject
NONE = "(none)"
CHUNK = 1000
# Snapshots of current state (outdated translations) are taken only for days this recent.
SNAPSHOT_DAYS = 1


def breakdowns(day: date) -> Counter[Key]:
    counts: Counter[Key] = Counter()
    counts.update(_escalation_intents_and_steps(day))
    counts.update(_guide_contact_steps(day))
    counts.update(_articles_before_escalation(day))
    counts.update(_article_views_and_votes(day))
    counts.update(_outdated_translations(day))
    return counts


def _escalation_intents_and_steps(day: date) -> Counter[Key]:
    """The topic and the step each escalated conversation was at when the visitor last spoke."""
    start, end = day_bounds(day)
    escalations = (
        Event.objects.filter(kind="chat.escalated", occurred_at__gte=start, occurred_at__lt=end)
        .annotate(conversation=KeyTextTransform("conversation", "data"))
        .values_list("conversation", "language")
        .iterator(chunk_size=CHUNK)
    )
    counts: Counter[Key] = Counter()
    for chunk in chunks(escalations, CHUNK):
        ids = [int(c) for c, _lang in chunk if c and str(c).isdigit()]
        states = dict(Conversation.objects.filter(pk__in=ids).values_list("pk", "state"))
        last = (
            ConversationMessage.objects.filter(conversation_id__in=ids, author=Author.CUSTOMER)
            .values("conversation_id")
            .annotate(last=Max("id"))
            .values_list("last", flat=True)
        )
        where = dict(
            ConversationMessage.objects.filter(id__in=list(last)).values_list(
                "conversation_id", "step"
            )
        )
        for conversation, lang in chunk:
            pk = int(conversation) if conversation and str(conversation).isdigit() else None
            state = states.get(pk) or {}
            step = where.get(pk) or f"{state.get('flow') or ''}:{state.get('step') or ''}"
            counts[("escalation_intent", lang, state.get("intent") or NONE)] += 1
            counts[("escalation_step", lang, step if step.strip(":") else NONE)] += 1
    return counts


def _guide_contact_steps(day: date) -> Counter[Key]:
    """Guide steps after which the reader chose to contact a person."""
    start, end = day_bounds(day)
    rows = (
        Event.objects.filter(
            kind="guide.completed",
            occurred_at__gte=start,
            occurred_at__lt=end,
            data__outcome="contact",
        )
        .annotate(guide=KeyTextTransform("guide", "data"), step=KeyTextTransform("step", "data"))
        .values("language", "guide", "step")
        .annotate(n=Count("id"))
    )
    return Counter(
        {
            ("escalation_step", r["language"], f"guide {r['guide']}:{r['step']}"): r["n"]
            for r in rows
        }
    )


def _articles_before_escalation(day: date) -> Counter[Key]:
    """Articles read in sessions that reached a person (escalation or ticket) that day."""
    start, end = day_bounds(day)
    sessions = (
        Event.objects.filter(
            kind__in=("chat.escalated", "ticket.created"),
            occurred_at__gte=start,
            occurred_at__lt=end,
        )
        .exclude(session_id="")
        .values("session_id")
    )
    rows = (
        Event.objects.filter(
            kind__in=("kb.article_viewed", "chat.article_opened"),
            occurred_at__gte=start - DAY,
            occurred_at__lt=end,
            session_id__in=sessions,
        )
        .annotate(article=KeyTextTransform("article", "data"))
        .values("language", "article")
        .annotate(n=Count("id"))
    )
    return Counter({("escalation_article", r["language"], str(r["article"])): r["n"] for r in rows})


def _article_views_and_votes(day: date) -> Counter[Key]:
    start, end = day_bounds(day)
    events = Event.objects.filter(occurred_at__gte=start, occurred_at__lt=end)
    counts: Counter[Key] = Counter()
    views = (
        events.filter(kind="kb.article_viewed")
        .annotate(article=KeyTextTransform("article", "data"))
        .values("language", "article")
        .annotate(n=Count("id"))
    )
    for r in views:
        counts[("article_views_by_article", r["language"], str(r["article"]))] += r["n"]
    votes = (
        events.filter(kind="kb.article_voted")
        .annotate(
            article=KeyTextTransform("article", "data"), vote=KeyTextTransform("value", "data")
        )
        .values("language", "article", "vote")
        .annotate(n=Count("id"))
    )
    for r in votes:
        metric = "article_helpful" if r["vote"] == Vote.HELPFUL else "article_not_helpful"
        counts[(metric, r["language"], str(r["article"]))] += r["n"]
    return counts


def _outdated_translations(day: date) -> Counter[Key]:
    """Today's state, recorded only while `day` is recent (history cannot be reconstructed)."""
    if day < timezone.now().date() - timedelta(days=SNAPSHOT_DAYS):
        return Counter()
    rows = Article.objects.filter(is_outdated=True).values_list("pk", "language")
    return Counter({("outdated_translation", lang, str(pk)): 1 for pk, lang in rows})
