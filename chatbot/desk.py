"""The structured conversation panel on the desk's ticket page (registered in apps.py).

Two queries at most, whatever the length of the chat: the conversation (with its widget) and
its messages. Tickets that did not come from the widget cost none.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest
from django.utils.translation import get_language_info

from tickets.models import Channel

from .models import Author, Conversation

MAX_MESSAGES = 500


@dataclass
class SuggestedArticle:
    """An article the bot showed, and whether the visitor opened it."""

    id: str
    title: str
    url: str
    is_opened: bool


@dataclass
class Transcript:
    """What the panel shows: the conversation, its messages and what was collected."""

    conversation: Conversation
    messages: list[Any]
    is_truncated: bool
    slots: list[tuple[str, str]]
    articles: list[SuggestedArticle] = field(default_factory=list)
    helped: bool | None = None
    language_name: str = ""
    page_link: str = ""
    referrer_link: str = ""


def web_link(url: str) -> str:
    """The URL when it is an http(s) address (visitor-supplied: never a javascript: link)."""
    return url if url.lower().startswith(("https://", "http://")) else ""


def language_name(code: str) -> str:
    try:
        return str(get_language_info(code)["name_translated"])
    except KeyError:
        return code


def _articles(messages: list[Any], opened: list[str]) -> list[SuggestedArticle]:
    shown: dict[str, SuggestedArticle] = {}
    for message in messages:
        for item in (message.payload or {}).get("articles", []):
            key = str(item.get("id", ""))
            if key and key not in shown:
                title, url = str(item.get("title", "")), str(item.get("url", ""))
                safe_url = (
                    url if url.startswith("/") and not url.startswith("//") else web_link(url)
                )
                shown[key] = SuggestedArticle(key, title, safe_url, key in opened)
    return list(shown.values())


def transcript_for_ticket(ticket: Any) -> Transcript | None:
    """The conversation that became this ticket, if any (≤ 2 queries)."""
    if getattr(ticket, "channel", None) != Channel.WIDGET:
        return None
    conversation = Conversation.objects.select_related("widget").filter(ticket_id=ticket.pk).first()
    if conversation is None:
        return None
    rows = list(conversation.messages.order_by("-id")[: MAX_MESSAGES + 1])
    messages = rows[:MAX_MESSAGES][::-1]
    for message in messages:
        message.is_customer = message.author == Author.CUSTOMER
        message.articles = (message.payload or {}).get("articles", [])
    state = conversation.state or {}
    slots = sorted((str(k), str(v)) for k, v in (state.get("slots") or {}).items())
    opened = [str(a) for a in conversation.articles_opened or []]
    return Transcript(
        conversation=conversation, messages=messages, is_truncated=len(rows) > MAX_MESSAGES,
        slots=slots, articles=_articles(messages, opened), helped=state.get("resolved"),
        language_name=language_name(conversation.language),
        page_link=web_link(conversation.page_url), referrer_link=web_link(conversation.referrer),
    )  # fmt: skip


def conversation_panel_context(request: HttpRequest, ticket: Any) -> dict | None:
    """Panel context for agents; None hides the panel (not a chat ticket, or not an agent)."""
    user = getattr(request, "user", None)
    if user is None or not getattr(user, "is_agent", False):
        return None
    transcript = transcript_for_ticket(ticket)
    return {"chat": transcript} if transcript else None
