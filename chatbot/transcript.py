"""The plain-text transcript that becomes an escalated chat's first ticket message."""

from __future__ import annotations

from typing import Any

AUTHOR_NAMES = {"customer": "Customer", "bot": "Bot", "agent": "Agent", "system": "System"}
HELPED = {True: "yes", False: "no", None: "not answered"}


def build_transcript(*, conversation: Any, messages: list[Any]) -> str:
    """Who said what and when, then slots, articles and context, readable without Markdown."""
    state = conversation.state or {}
    parts = [
        _context_lines(conversation),
        ["Transcript:", *(_message_line(m) for m in messages)],
        _slot_lines(state.get("slots") or {}),
        _article_lines(messages, conversation.articles_opened or [], state.get("resolved")),
    ]
    return "\n\n".join("\n".join(lines) for lines in parts if lines)


def _context_lines(conversation: Any) -> list[str]:
    contact = conversation.contact
    who = f"{contact.name} <{contact.email}>".strip() if contact else "anonymous visitor"
    verified = "verified by the site" if conversation.is_identity_verified else "not verified"
    return [
        f"Chat conversation {conversation.public_id} from widget “{conversation.widget.name}”.",
        f"- Customer: {who} ({verified})",
        f"- Language: {conversation.language}",
        f"- Page: {conversation.page_url or 'unknown'}",
        f"- Referrer: {conversation.referrer or 'none'}",
        f"- Browser: {conversation.user_agent or 'unknown'}",
    ]


def _message_line(message: Any) -> str:
    when = message.created_at.strftime("%Y-%m-%d %H:%M:%S UTC")
    line = f"- [{when}] {AUTHOR_NAMES.get(message.author, message.author)}: {message.text}"
    if message.author == "customer" and message.intent:
        line += f" (matched {message.intent}, score {message.score or 0:.2f})"
    titles = [a.get("title", "") for a in (message.payload or {}).get("articles", [])]
    if titles:
        line += " [articles: " + "; ".join(titles) + "]"
    return line


def _slot_lines(slots: dict[str, Any]) -> list[str]:
    if not slots:
        return []
    return ["Details collected:", *(f"- {name}: {value}" for name, value in sorted(slots.items()))]


def _article_lines(messages: list[Any], opened: list[str], resolved: bool | None) -> list[str]:
    shown: dict[str, dict] = {}
    for message in messages:
        for article in (message.payload or {}).get("articles", []):
            shown.setdefault(str(article.get("id")), article)
    if not shown:
        return []
    lines = ["Articles suggested:"]
    for article_id, article in shown.items():
        status = "opened" if article_id in opened else "not opened"
        lines.append(f"- {article.get('title', '')} {article.get('url', '')} ({status})")
    lines.append(f"Did the articles help: {HELPED.get(resolved, 'not answered')}")
    return lines
