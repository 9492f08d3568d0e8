"""Titles and links for timeline items about tickets and articles (apps customers sits below)."""

from __future__ import annotations

from customers.timeline import TimelineItem, register_describer
from kb.models import Article
from tickets.models import Ticket


def describe_tickets(items: list[TimelineItem]) -> None:
    ids = {i.data.get("ticket") for i in items if isinstance(i.data.get("ticket"), int)}
    tickets = {t.pk: t for t in Ticket.objects.filter(pk__in=ids).only("pk", "subject")}
    for item in items:
        ticket = tickets.get(item.data.get("ticket"))
        if ticket is not None:
            item.title = f"{ticket.reference} {ticket.subject}"
            item.url = ticket.get_absolute_url()


def describe_articles(items: list[TimelineItem]) -> None:
    ids = {i.data.get("article") for i in items if isinstance(i.data.get("article"), int)}
    articles = {a.pk: a for a in Article.objects.filter(pk__in=ids)}
    for item in items:
        article = articles.get(item.data.get("article"))
        if article is not None:
            item.title = article.title
            item.url = article.get_absolute_url()


def register() -> None:
    for prefix in ("ticket.", "email.", "chat.escalated"):
        register_describer(prefix, describe_tickets)
    for prefix in ("kb.article", "chat.article_opened"):
        register_describer(prefix, describe_articles)
