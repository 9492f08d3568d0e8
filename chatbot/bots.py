"""The Django side of the engine: a widget's bot (parsed once per edit) and the per-turn Context."""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

from chatbot.engine import ArticleRef, Bot, Context, load_bot
from kb.search import suggest

MAX_ARTICLES = 3


@lru_cache(maxsize=64)
def _parsed(widget_id: int, version: str, definition: str) -> Bot:
    return load_bot(json.loads(definition))


def bot_for(widget: Any) -> Bot:
    """The widget's bot; re-parsed only after the widget was saved again."""
    definition = json.dumps(widget.bot_definition, sort_keys=True)
    return _parsed(widget.pk, widget.updated_at.isoformat(), definition)


def search_articles(query: str, lang: str) -> list[ArticleRef]:
    """Public help-center articles for the bot: at most three, in the conversation language."""
    hits = suggest(raw_query=query, language=lang, audience="public")[:MAX_ARTICLES]
    return [ArticleRef(str(h.group_id), h.title, h.url, h.snippet) for h in hits]


def context_for(conversation: Any) -> Context:
    """What the engine may ask the host during a turn."""
    variables = {}
    if conversation.contact_id and conversation.contact.name:
        variables["name"] = conversation.contact.name
    return Context(search=search_articles, variables=variables)


def pick_language(bot: Bot, requested: str, fallback: str) -> str:
    """The requested language when the bot speaks it (zh_Hans, zh-Hans, zh-hans alike)."""
    wanted = (requested or "").strip().lower().replace("_", "-")
    for candidate in (wanted, wanted.split("-")[0], fallback, bot.default_language):
        if candidate in bot.languages:
            return candidate
    return bot.default_language
