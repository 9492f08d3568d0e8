"""The widget API end to end: start, send, history, rate; tokens guard every conversation."""

from __future__ import annotations

from chatbot.models import Conversation, ConversationMessage
from chatbot.services import hash_token
from helpdesk.models import Event
from tests.chatbot.helpers import ChatClient


def test_start_returns_greeting_token_and_language(chat):
    started = chat.start(lang="zh_Hans", page_url="https://shop.example/cart", referrer="r")
    assert started["status"] == "bot"
    assert started["language"] == "zh-hans"
    assert "Northwind" in started["messages"][0]["text"]
    assert started["messages"][0]["quick_replies"][0]["payload"] == "#option:0"
    conversation = Conversation.objects.get(public_id=started["conversation_id"])
    assert conversation.page_url == "https://shop.example/cart"
    assert conversation.token_hash == hash_token(started["token"])
    assert started["token"] not in str(Conversation.objects.values_list().get())
    assert Event.objects.filter(kind="chat.session_started").count() == 1


def test_send_records_intent_score_and_step_of_the_customer_turn(chat):
    chat.start()
    body = chat.send("where is my order")
    assert [m["author"] for m in body["messages"]] == ["customer", "bot"]
    assert "order number" in body["messages"][1]["text"]
    body = chat.send("actually I want a refund")
    turn = ConversationMessage.objects.get(pk=body["messages"][0]["id"])
    assert (turn.intent, turn.step) == ("return_policy", "order_status:ask_order_number")
    assert turn.score > 0.9 and "i want a refund" in turn.reason
    assert Event.objects.filter(kind="chat.message").count() == 2


def test_history_returns_only_messages_after_the_given_id(chat):
    chat.start()
    sent = chat.send("where is my order")
    after = sent["messages"][0]["id"]
    body = chat.history(after=after).json()
    assert [m["id"] for m in body["messages"]] == [sent["messages"][1]["id"]]


def test_history_answers_304_when_nothing_changed(chat):
    chat.start()
    first = chat.history()
    etag = first["ETag"]
    assert chat.history(HTTP_IF_NONE_MATCH=etag).status_code == 304
    chat.send("hello")
    assert chat.history(HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_missing_token_is_401_and_unknown_token_is_404(chat):
    chat.start()
    token, chat.token = chat.token, ""
    assert chat.post("messages", {"text": "hi"}).status_code == 401
    assert chat.history().status_code == 401
    chat.token = token + "x"
    assert chat.post("messages", {"text": "hi"}).status_code == 404
    assert chat.escalate(email="a@example.com").status_code == 404


def test_a_token_only_ever_reads_its_own_conversation(client, chat):
    chat.start()
    chat.send("my secret order NS-11111")
    other = ChatClient(client)
    other.start()
    texts = [m["text"] for m in other.history().json()["messages"]]
    assert not any("NS-11111" in t for t in texts)


def test_rate_stores_the_verdict(chat):
    started = chat.start()
    assert chat.post("rate", {"rating": "good", "comment": "quick"}).status_code == 204
    conversation = Conversation.objects.get(public_id=started["conversation_id"])
    assert (conversation.rating, conversation.rating_comment) == ("good", "quick")
    assert chat.post("rate", {"rating": "meh"}).status_code == 400


def test_unknown_or_inactive_widget_key_is_404(chat, widget):
    chat.key = "nope"
    assert chat.post("start", {"key": "nope"}).status_code == 404
    widget.is_active = False
    widget.save()
    assert chat.post("start", {"key": widget.public_key}).status_code == 404


def test_opened_article_is_recorded(chat):
    started = chat.start()
    assert chat.post("articles/opened", {"article_id": "7"}).status_code == 204
    conversation = Conversation.objects.get(public_id=started["conversation_id"])
    assert conversation.articles_opened == ["7"]
    assert Event.objects.filter(kind="chat.article_opened").exists()


def test_too_many_messages_from_one_conversation_get_429(chat, monkeypatch):
    import time

    from django_ratelimit import core

    # One fixed clock: django-ratelimit counts in fixed windows, and 31 requests that straddle
    # a window's end (a few seconds of 60 on a slow run) were counted in two windows.
    now = time.time()
    monkeypatch.setattr(core.time, "time", lambda: now)
    chat.start()
    codes = [chat.post("messages", {"text": "hello"}).status_code for _ in range(31)]
    assert codes[:30] == [200] * 30
    assert codes[30] == 429
    assert "detail" in chat.post("messages", {"text": "hello"}).json()
