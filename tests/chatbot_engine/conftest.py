"""Fixtures for the pure chatbot engine tests: the demo bot, a fake KB search, a conversation."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest

from chatbot.engine import ArticleRef, Bot, Context, Reply, respond, start
from chatbot.engine.demo import load_demo_bot

ARTICLES = {
    "return policy": [
        ArticleRef("kb-1", "Returns and refunds", "/help/returns"),
        ArticleRef("kb-2", "Printing a return label", "/help/return-label"),
        ArticleRef("kb-3", "Refund times", "/help/refund-times"),
        ArticleRef("kb-4", "Exchanges", "/help/exchanges"),
    ],
}


class FakeSearch:
    """Records queries and returns canned articles per query."""

    def __init__(self, results: dict[str, list[ArticleRef]] | None = None) -> None:
        self.results = ARTICLES if results is None else results
        self.queries: list[tuple[str, str]] = []

    def __call__(self, query: str, lang: str) -> list[ArticleRef]:
        self.queries.append((query, lang))
        return self.results.get(query, [])


@dataclass
class Conversation:
    """Drives a bot turn by turn, keeping the state like the Django layer would."""

    bot: Bot
    lang: str = "en"
    context: Context = field(default_factory=Context)
    state: dict[str, Any] | None = None
    replies: list[Reply] = field(default_factory=list)

    def start(self) -> Reply:
        reply = start(self.bot, self.lang, self.context)
        return self._keep(reply)

    def say(self, text: str) -> Reply:
        return self._keep(respond(self.bot, self.state, text, self.lang, self.context))

    def _keep(self, reply: Reply) -> Reply:
        self.state = reply.state
        self.replies.append(reply)
        return reply


def texts(reply: Reply) -> str:
    """All bot message texts of a reply, joined for substring assertions."""
    return "\n".join(m.text for m in reply.messages)


def quick_labels(reply: Reply) -> list[str]:
    """Labels of the quick replies of the last message."""
    return [q.label for q in reply.messages[-1].quick_replies] if reply.messages else []


def quick_payloads(reply: Reply) -> list[str]:
    """Payloads of the quick replies of the last message."""
    return [q.payload for q in reply.messages[-1].quick_replies] if reply.messages else []


@pytest.fixture(scope="session")
def demo_bot() -> Bot:
    return load_demo_bot()


@pytest.fixture
def search() -> FakeSearch:
    return FakeSearch()


@pytest.fixture
def chat(demo_bot: Bot, search: FakeSearch) -> Conversation:
    return Conversation(demo_bot, context=Context(search=search))
