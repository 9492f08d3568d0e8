"""One conversation turn: the JSON state, the bot's messages and the Reply handed to the host."""

from __future__ import annotations

import copy
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any

from chatbot.engine.bot import Bot, Context
from chatbot.engine.flow import ArticleRef, Option, Step
from chatbot.engine.texts import fill, pick, system_text

STATE_VERSION = 1
HANDOFF_PAYLOAD = "#handoff"
YES_PAYLOAD = "#yes"
NO_PAYLOAD = "#no"
INTENT_PREFIX = "#intent:"
OPTION_PREFIX = "#option:"
CHOICE_PREFIX = "#choice:"


class Status(StrEnum):
    """Conversation status kept in the state."""

    IDLE = "idle"
    ACTIVE = "active"
    ESCALATED = "escalated"


def new_state() -> dict[str, Any]:
    """A fresh, JSON-serialisable conversation state."""
    return {
        "version": STATE_VERSION,
        "status": Status.IDLE.value,
        "flow": None,
        "step": None,
        "intent": None,
        "slots": {},
        "misses": 0,
        "tries": 0,
        "articles": [],
        "offered": [],
        "resolved": None,
        "queue": None,
        "query": "",
        "turns": 0,
    }


def load_state(state: dict[str, Any] | None) -> dict[str, Any]:
    """A deep copy of `state` with missing or mistyped keys reset, so old rows keep working."""
    fresh = new_state()
    for key, default in fresh.items():
        value = (state or {}).get(key, default)
        if default is None or isinstance(value, type(default)):
            fresh[key] = copy.deepcopy(value)
    if fresh["status"] not in {s.value for s in Status}:
        fresh["status"] = Status.IDLE.value
    fresh["version"] = STATE_VERSION
    return fresh


@dataclass(frozen=True)
class QuickReply:
    """A button: show `label`, send `payload` back as the user's text when clicked."""

    label: str
    payload: str


@dataclass
class BotMessage:
    """One bot bubble: text, optional quick replies and article cards."""

    text: str
    quick_replies: list[QuickReply] = field(default_factory=list)
    articles: list[ArticleRef] = field(default_factory=list)


@dataclass
class Reply:
    """The result of a turn: new state, messages and outcome flags for logging and handoff."""

    state: dict[str, Any]
    messages: list[BotMessage] = field(default_factory=list)
    matched_intent: str | None = None
    score: float = 0.0
    reason: str = ""
    flow: str | None = None
    step: str | None = None
    handoff: bool = False
    queue: str | None = None
    out_of_hours: bool = False
    resolved: bool | None = None
    did_you_mean: list[str] = field(default_factory=list)
    status: str = Status.IDLE.value

    def to_dict(self) -> dict[str, Any]:
        """Plain dict (JSON-serialisable) for the API and the event log."""
        return asdict(self)


@dataclass
class Turn:
    """Mutable working copy for one turn; `finish()` freezes it into a Reply."""

    bot: Bot
    lang: str
    ctx: Context
    state: dict[str, Any]
    offered: list[dict[str, str]] = field(default_factory=list)
    reply: Reply | None = None
    user_text: str = ""

    @classmethod
    def begin(cls, bot: Bot, state: dict[str, Any] | None, lang: str, ctx: Context | None) -> Turn:
        """Start a turn from a stored state; the previous quick replies stay answerable."""
        loaded = load_state(state)
        offered = [o for o in loaded["offered"] if isinstance(o, dict)]
        loaded["offered"] = []
        turn = cls(bot, lang or bot.default_language, ctx or Context(), loaded, offered)
        turn.reply = Reply(state=loaded)
        return turn

    @property
    def out(self) -> Reply:
        """The reply being built."""
        assert self.reply is not None
        return self.reply

    def text(self, key: str, **values: object) -> str:
        """A system text in the user's language with placeholders filled."""
        raw = system_text(self.bot.texts, key, self.lang, self.bot.default_language)
        return fill(raw, {**self.values(), **values})

    def local(self, texts: dict[str, str] | None) -> str:
        """An author's text in the user's language with slots filled."""
        return fill(pick(texts, self.lang, self.bot.default_language), self.values())

    def values(self) -> dict[str, object]:
        """Placeholder values: host variables, then slots, and `{next_open}`."""
        return {"next_open": self.next_open(), **self.ctx.variables, **self.state["slots"]}

    def next_open(self) -> str:
        """When the team is back, as the host phrases it; empty when unknown."""
        try:
            return self.ctx.next_open_text(self.lang) or ""
        except Exception:  # the text is a courtesy; never fail the turn over it
            return ""

    def say(
        self,
        text: str,
        quick_replies: list[QuickReply] | None = None,
        articles: list[ArticleRef] | None = None,
    ) -> None:
        """Add a bot message; its quick replies become the ones the next turn can answer."""
        quick = list(quick_replies or [])
        self.out.messages.append(BotMessage(text, quick, list(articles or [])))
        self.state["offered"] = [asdict(q) for q in quick]

    def person(self) -> QuickReply:
        """The always-available exit to a human."""
        return QuickReply(self.text("talk_to_person"), HANDOFF_PAYLOAD)

    def intent_reply(self, name: str) -> QuickReply:
        """A quick reply that starts the intent `name`."""
        intent = self.bot.intent(name)
        label = self.local(intent.label) if intent else ""
        return QuickReply(label or name.replace("_", " ").capitalize(), INTENT_PREFIX + name)

    def option_replies(self, options: list[Option], prefix: str) -> list[QuickReply]:
        """Quick replies for a step's options or choices, numbered by payload."""
        return [QuickReply(self.local(o.label), f"{prefix}{i}") for i, o in enumerate(options)]

    def yes_no(self) -> list[QuickReply]:
        """Yes/no quick replies for "did this solve it?"."""
        return [QuickReply(self.text("yes"), YES_PAYLOAD), QuickReply(self.text("no"), NO_PAYLOAD)]

    def current_step(self) -> Step | None:
        """The step the conversation waits at, if it still exists in the bot."""
        if self.state["status"] != Status.ACTIVE.value:
            return None
        return self.bot.step(self.state["flow"], self.state["step"])

    def finish(self) -> Reply:
        """Freeze the outcome; the state is returned as part of the reply."""
        out = self.out
        out.state = self.state
        out.status = self.state["status"]
        out.flow, out.step = self.state["flow"], self.state["step"]
        if out.queue is None and out.handoff:
            out.queue = self.state["queue"]
        return out
