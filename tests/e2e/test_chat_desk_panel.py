"""The agent reads an escalated chat in the desk's conversation panel, by keyboard, with axe."""

from __future__ import annotations

import io

import pytest

from chatbot import services
from chatbot.demo import load as load_demo_widget
from chatbot.models import Conversation
from tests.e2e.conftest import assert_accessible, save_screenshot
from tests.helpdesk.factories import TEST_PASSWORD
from tickets.models import Queue

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def escalated_chat(agent, monkeypatch):
    from chatbot import bots

    monkeypatch.setattr(bots, "team_available", lambda widget, bot: True)
    for slug in ("general", "support"):
        Queue.objects.create(name=slug.title(), slug=slug, is_default=slug == "general")
        Queue.objects.get(slug=slug).members.add(agent)
    widget = load_demo_widget(io.StringIO())
    conversation, _token, _ = services.start_conversation(
        widget=widget, language="ar", page_url="https://shop.example/ar/orders"
    )
    services.send_message(conversation=conversation, text="أين طلبي")
    services.send_message(conversation=conversation, text="NS-12345")
    services.send_message(conversation=conversation, text="<b>لا</b>")
    ticket, _ = services.escalate_conversation(conversation=conversation, email="omar@example.com")
    return Conversation.objects.get(pk=conversation.pk), ticket


def test_agent_opens_the_transcript_in_the_conversation_panel(page, live_server, agent,
                                                              escalated_chat):  # fmt: skip
    _conversation, ticket = escalated_chat
    page.goto(f"{live_server.url}/accounts/login/?next=/desk/tickets/{ticket.pk}/")
    page.get_by_label("Email address").fill(agent.email)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    panel = page.get_by_role("region", name="Chat conversation")
    panel.wait_for()
    assert "NS-12345" in panel.inner_text()  # the collected order number
    transcript = panel.locator("details.chat-transcript")
    assert transcript.get_attribute("open") is None  # collapsed until asked for
    summary = transcript.locator("summary").first
    summary.focus()
    page.keyboard.press("Enter")
    assert transcript.get_attribute("open") == ""
    messages = transcript.get_by_role("listitem")
    assert messages.filter(has_text="أين طلبي").count() == 1
    assert messages.filter(has_text="<b>لا</b>").count() == 1  # shown as text, not markup
    assert messages.filter(has_text="Bot read it as: option").count() == 1  # the menu choice
    assert_accessible(page)
    save_screenshot(page, "desk-chat-panel")
