"""Escalation: one ticket per conversation, a full transcript, then the ticket owns the chat."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from chatbot.models import Conversation
from chatbot.services import escalate_conversation, send_message
from helpdesk.models import Event
from tests.chatbot.helpers import ChatClient
from tickets.models import Ticket
from tickets.services import add_message


def _conversation(chat) -> Conversation:
    return Conversation.objects.get(public_id=chat.started["conversation_id"])


def test_escalating_twice_makes_one_ticket_201_then_200(chat):
    chat.start()
    first = chat.escalate(email="ann@example.com", name="Ann")
    again = chat.escalate(email="ann@example.com")
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["ticket_reference"] == again.json()["ticket_reference"]
    assert Ticket.objects.count() == 1
    assert Event.objects.filter(kind="chat.escalated").count() == 1


def test_anonymous_escalation_without_email_is_400(chat):
    chat.start()
    response = chat.escalate()
    assert response.status_code == 400
    assert Ticket.objects.count() == 0


def test_handoff_lands_in_the_flows_queue_with_the_full_transcript(chat, queues):
    chat.start(page_url="https://shop.example/orders/7")
    chat.send("where is my order")
    chat.send("NS-12345")
    body = chat.send("no")
    assert body["needs_email"] and body["status"] == "bot"
    body = chat.send("ann@example.com")
    ticket = Ticket.objects.get()
    assert body["ticket_reference"] == ticket.reference and body["status"] == "escalated"
    assert ticket.queue == queues["support"] and ticket.channel == "widget"
    transcript = ticket.messages.first().body
    for text in ["where is my order", "NS-12345", "order number", "Did this solve"]:
        assert text in transcript
    assert "order_number: NS-12345" in transcript
    assert "https://shop.example/orders/7" in transcript and "Language: en" in transcript
    assert "Customer: " in transcript and "Bot: " in transcript


def test_transcript_lists_articles_and_whether_they_were_opened(chat, monkeypatch):
    from chatbot import bots
    from chatbot.engine import ArticleRef

    found = [ArticleRef("12", "Returns in 30 days", "/en/kb/12/"), ArticleRef("13", "Labels", "")]
    monkeypatch.setattr(bots, "search_articles", lambda query, lang: found)
    chat.start()
    body = chat.send("I want a refund")
    assert body["messages"][1]["articles"][0] == {
        "id": "12", "title": "Returns in 30 days", "url": "/en/kb/12/"
    }  # fmt: skip
    chat.post("articles/opened", {"article_id": "12"})
    chat.send("no")
    chat.send("ann@example.com")
    transcript = Ticket.objects.get().messages.first().body
    assert "Returns in 30 days /en/kb/12/ (opened)" in transcript
    assert "Labels  (not opened)" in transcript
    assert "Did the articles help: no" in transcript
    assert Event.objects.filter(kind="chat.article_shown").exists()


def test_after_escalation_the_bot_is_quiet_and_messages_join_the_ticket(chat, agent):
    chat.start()
    chat.escalate(email="ann@example.com")
    body = chat.send("hello? where is my order")
    assert [m["author"] for m in body["messages"]] == ["customer"]
    ticket = Ticket.objects.get()
    last = ticket.messages.last()
    assert last.body == "hello? where is my order"
    assert last.author_contact == ticket.requester and last.channel == "widget"


def test_agent_public_reply_shows_in_widget_history_once(chat, agent):
    chat.start()
    chat.escalate(email="ann@example.com")
    seen = chat.history().json()["messages"][-1]["id"]
    ticket = Ticket.objects.get()
    add_message(ticket=ticket, body="Hi Ann, it ships today.", author_user=agent)
    add_message(ticket=ticket, body="internal only", author_user=agent, is_internal=True)
    new = chat.history(after=seen).json()["messages"]
    assert [(m["author"], m["text"]) for m in new] == [("agent", "Hi Ann, it ships today.")]
    assert chat.history(after=seen).json()["messages"] == new


def test_service_escalation_is_idempotent_under_retries(chat):
    chat.start()
    conversation = _conversation(chat)
    tickets = {escalate_conversation(conversation=conversation, email="a@example.com")[0].pk
               for _ in range(5)}  # fmt: skip
    assert len(tickets) == 1 and Ticket.objects.count() == 1


def test_send_message_after_ticket_closed_closes_the_chat(chat, agent):
    chat.start()
    chat.escalate(email="ann@example.com")
    Ticket.objects.update(status="closed")
    response = chat.post("messages", {"text": "still there?"})
    assert response.status_code == 400
    assert _conversation(chat).status == "closed"


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_ten_concurrent_escalations_make_exactly_one_ticket(client, widget, queues):
    chat = ChatClient(client)
    chat.start()
    send_message(conversation=_conversation(chat), text="hello")
    conversation = _conversation(chat)
    barrier, results, errors = threading.Barrier(10), [], []

    def escalate() -> None:
        try:
            barrier.wait()
            ticket, _created = escalate_conversation(conversation=conversation, email="c@e.com")
            results.append(ticket.pk)
        except Exception as exc:  # collected and asserted below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=escalate) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(set(results)) == 1 and Ticket.objects.count() == 1
