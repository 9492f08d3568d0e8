"""The Django side of the engine: a widget's bot (compiled once per edit) and the turn Context."""

from __future__ import annotations

import json
import logging
from datetime import datetime
from functools import lru_cache
from typing import Any

from django.core.cache import cache
from django.db.models import Q
from django.utils import formats, timezone, translation

from chatbot.compiler import compile_bot
from chatbot.engine import ArticleRef, Bot, Context, SchemaError, load_bot
from chatbot.models import Bot as BotRow
from chatbot.models import build_calendar
from helpdesk.models import Role
from kb.search import suggest
from tickets.models import Queue
from tickets.sla import BusinessCalendar, is_open, next_opening

MAX_ARTICLES = 3
logger = logging.getLogger(__name__)


def now() -> datetime:
    """The clock the business hours are judged by (tests patch `chatbot.bots.now`)."""
    return timezone.now()


EMPTY_BOT = load_bot({})
CACHE_SECONDS = 24 * 3600


def compiled_definition(bot_id: int, version: str) -> dict[str, Any]:
    """The bot's rows as an engine dict, shared by all processes through the cache."""
    key = f"chatbot:bot:{bot_id}:{version}"
    data = cache.get(key)
    if data is None:
        data = compile_bot(BotRow.objects.get(pk=bot_id))
        cache.set(key, data, CACHE_SECONDS)
    return data


@lru_cache(maxsize=64)
def _loaded(bot_id: int, version: str) -> Bot:
    good_key = f"chatbot:bot:{bot_id}:last-good"
    data = compiled_definition(bot_id, version)
    try:
        bot = load_bot(data)
    except SchemaError as exc:
        # An admin saved rows that do not load: keep chatting with the last version that did.
        logger.error("bot %s version %s does not load, using the last good one: %s",
                     bot_id, version, exc)  # fmt: skip
        good = cache.get(good_key)
        return load_bot(good) if good else EMPTY_BOT
    cache.set(good_key, data, None)
    return bot


def bot_for(widget: Any) -> Bot:
    """The widget's bot; compiled again only after one of its rows was saved (new version).

    Load the widget with `select_related("bot")` to save the query that reads the version.
    """
    row = widget.bot if widget.bot_id else None
    if row is None:
        return EMPTY_BOT
    return _loaded(row.pk, row.version)


def search_articles(query: str, lang: str) -> list[ArticleRef]:
    """Public help-center articles for the bot: at most three, in the conversation language."""
    hits = suggest(raw_query=query, language=lang, audience="public")[:MAX_ARTICLES]
    return [ArticleRef(str(h.group_id), h.title, h.url, h.snippet) for h in hits]


@lru_cache(maxsize=64)
def _calendar(widget_id: int | None, version: str, spec: str) -> BusinessCalendar | None:
    try:
        return build_calendar(*json.loads(spec))
    except (ValueError, TypeError) as exc:
        # Bad hours saved around the form: keep the chat reachable rather than always closed.
        logger.warning("widget %s has unusable business hours, treated as open: %s", widget_id, exc)
        return None


def calendar_for(widget: Any) -> BusinessCalendar | None:
    """The widget's business calendar, built once per saved version; None = always open."""
    if not widget.business_hours:
        return None
    spec = json.dumps([widget.time_zone, widget.business_hours, widget.holidays], sort_keys=True)
    version = widget.updated_at.isoformat() if widget.updated_at else ""
    return _calendar(widget.pk, version, spec)


def agents_available(bot: Bot) -> bool:
    """Whether an active agent is a member of the bot's handoff queue (no such queue: yes)."""
    queue = Queue.objects.filter(slug=bot.handoff_queue or "").first()
    if queue is None:
        return True
    agents = Q(role__in=[Role.AGENT, Role.ADMIN]) | Q(is_superuser=True)
    return queue.members.filter(agents, is_active=True).exists()


def team_available(widget: Any, bot: Bot) -> bool:
    """A person can answer now: inside business hours and someone staffs the handoff queue."""
    calendar = calendar_for(widget)
    if calendar is not None and not is_open(now(), calendar):
        return False
    return agents_available(bot)


def next_open_text(widget: Any, lang: str) -> str:
    """When a person will answer, in `lang` and the widget's zone: "Monday 08:00 (Europe/…)".

    Empty when the widget has no hours, or is open but closed for want of agents: then
    nobody knows when a person will be free.
    """
    calendar = calendar_for(widget)
    instant = now()
    if calendar is None or is_open(instant, calendar):
        return ""
    local = calendar.to_local(next_opening(instant, calendar))
    with translation.override(lang):
        when = formats.date_format(local, "l H:i")
        text = translation.gettext("A person will answer from %(when)s (%(zone)s).")
        return text % {"when": when, "zone": calendar.timezone}


def context_for(conversation: Any) -> Context:
    """What the engine may ask the host during a turn."""
    variables = {}
    if conversation.contact_id and conversation.contact.name:
        variables["name"] = conversation.contact.name
    widget = conversation.widget
    bot = bot_for(widget)
    return Context(
        search=search_articles,
        is_open=lambda: team_available(widget, bot),
        next_open_text=lambda lang: next_open_text(widget, lang),
        variables=variables,
    )


def pick_language(bot: Bot, requested: str, fallback: str) -> str:
    """The requested language when the bot speaks it (zh_Hans, zh-Hans, zh-hans alike)."""
    wanted = (requested or "").strip().lower().replace("_", "-")
    for candidate in (wanted, wanted.split("-")[0], fallback, bot.default_language):
        if candidate in bot.languages:
            return candidate
    return bot.default_language
