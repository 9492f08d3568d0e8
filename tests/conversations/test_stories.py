"""Conversation stories: each YAML file is a chat through the real widget API with the demo bot.

A story has `lang`, optional `page_url`, `identity_email` and `turns`. Each turn sends `say` and
checks what came back: `reply` (substrings of the bot's text), `intent` (matched for the turn),
`slots`, `articles` (titles shown), `status`, `needs_email`, `escalated` (a ticket exists).
An optional `now` (ISO instant with offset) freezes the clock so the demo widget's business
hours apply; without it a person is always available, whatever the time.
"""

from __future__ import annotations

import io
from datetime import datetime
from pathlib import Path

import pytest
import yaml

from chatbot import bots
from chatbot.engine import ArticleRef
from chatbot.models import Conversation, ConversationMessage
from tests.chatbot.helpers import ChatClient, sign
from tickets.models import Queue, Ticket

STORIES = sorted(Path(__file__).parent.glob("*.yml"))
ARTICLES = [ArticleRef("21", "Returning an item", "/kb/21/"), ArticleRef("22", "Refund times")]


@pytest.fixture
def widget(db):
    from chatbot.demo import load

    Queue.objects.create(name="General", slug="general", is_default=True)
    Queue.objects.create(name="Support", slug="support")
    return load(io.StringIO())


@pytest.mark.parametrize("path", STORIES, ids=[p.stem for p in STORIES])
def test_story(path: Path, client, widget, monkeypatch) -> None:
    chat = ChatClient(client)
    story = yaml.safe_load(path.read_text(encoding="utf-8"))
    has_articles = story.get("articles_available", False)
    monkeypatch.setattr(bots, "search_articles", lambda q, lang: ARTICLES if has_articles else [])
    if "now" in story:
        instant = datetime.fromisoformat(str(story["now"]))
        monkeypatch.setattr(bots, "now", lambda: instant)
        monkeypatch.setattr(bots, "agents_available", lambda bot: True)
    else:
        monkeypatch.setattr(bots, "team_available", lambda widget, bot: True)
    started = chat.start(
        lang=story["lang"], page_url=story.get("page_url", ""), **_identity(story, widget)
    )
    assert started["language"] == story.get("expect_language", story["lang"])
    conversation = Conversation.objects.get(public_id=started["conversation_id"])
    for number, turn in enumerate(story["turns"], 1):
        body = chat.send(turn["say"])
        _check_turn(f"{path.stem} turn {number}", turn, body, conversation)


def _identity(story: dict, widget) -> dict:
    email = story.get("identity_email")
    if not email:
        return {}
    signature = sign(widget.identity_secret, "u-1", email)
    return {"identity": {"user_id": "u-1", "email": email, "signature": signature}}


def _check_turn(where: str, turn: dict, body: dict, conversation: Conversation) -> None:
    said = " | ".join(m["text"] for m in body["messages"] if m["author"] != "customer")
    for expected in _as_list(turn.get("reply")):
        assert expected in said, f"{where}: {expected!r} not in {said!r}"
    if "intent" in turn:
        customer = ConversationMessage.objects.get(pk=body["messages"][0]["id"])
        assert customer.intent == (turn["intent"] or ""), f"{where}: intent {customer.intent!r}"
    conversation.refresh_from_db()
    for name, value in (turn.get("slots") or {}).items():
        assert conversation.state["slots"].get(name) == value, f"{where}: slot {name}"
    if "articles" in turn:
        titles = [a["title"] for m in body["messages"] for a in m["articles"]]
        assert titles == turn["articles"], f"{where}: articles {titles}"
    for key in ("status", "needs_email"):
        if key in turn:
            assert body[key] == turn[key], f"{where}: {key} {body[key]!r}"
    if "escalated" in turn:
        assert Ticket.objects.exists() == turn["escalated"], f"{where}: escalated"
        assert (body["ticket_reference"] is not None) == turn["escalated"], where


def _as_list(value) -> list[str]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]
