"""Fixtures for the chat API: the demo widget, queues and a widget-like client."""

from __future__ import annotations

import io

import pytest

from tests.chatbot.helpers import ChatClient


@pytest.fixture
def widget(db):
    from chatbot.demo import load

    return load(io.StringIO())


@pytest.fixture
def queues(db):
    from tickets.models import Queue

    general = Queue.objects.create(name="General", slug="general", is_default=True)
    support = Queue.objects.create(name="Support", slug="support")
    return {"general": general, "support": support}


@pytest.fixture
def chat(client, widget, queues) -> ChatClient:
    return ChatClient(client)


@pytest.fixture(autouse=True)
def team_always_available(monkeypatch):
    """The demo widget has office hours and its queue no agents: chat tests pin a person as
    available so they pass at any hour. tests/chatbot/test_hours.py overrides this fixture."""
    from chatbot import bots

    monkeypatch.setattr(bots, "team_available", lambda widget, bot: True)
