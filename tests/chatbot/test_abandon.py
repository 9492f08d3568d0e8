"""Bot conversations left idle are marked abandoned once, with one `chat.abandoned` event."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from chatbot.abandon import mark_abandoned_conversations
from chatbot.models import Conversation
from chatbot.tasks import mark_abandoned
from helpdesk.models import Event


def _idle(minutes: int) -> None:
    Conversation.objects.update(updated_at=timezone.now() - timedelta(minutes=minutes))


def _events():
    return Event.objects.filter(kind="chat.abandoned")


def test_idle_conversation_is_marked_once_when_the_sweep_runs_twice(chat):
    chat.start(lang="en")
    chat.send("where is my order")  # the bot waits for an order number
    _idle(31)
    assert mark_abandoned.delay().get() == 1
    assert mark_abandoned.delay().get() == 0
    conversation = Conversation.objects.get()
    assert conversation.abandoned_at is not None
    (event,) = _events()
    assert event.data["conversation"] == conversation.pk
    assert event.data["flow"] == "order_status" and event.data["step"] == "ask_order_number"
    assert event.session_id == str(conversation.public_id) and event.language == "en"


def test_a_conversation_quiet_for_less_than_the_setting_is_left_alone(chat):
    chat.start(lang="en")
    chat.send("where is my order")
    _idle(settings.CHATBOT_ABANDON_AFTER_MINUTES - 5)
    assert mark_abandoned_conversations() == 0
    assert mark_abandoned_conversations(idle_minutes=10) == 1


def test_resolved_ended_and_escalated_conversations_are_not_abandoned(chat, client):
    from tests.chatbot.helpers import ChatClient

    chat.start(lang="en")
    chat.send("where is my order")
    chat.send("NS-12345")
    chat.send("yes")  # solved by the bot
    ended = ChatClient(client)
    ended.start(lang="en")
    ended.send("thanks, bye")  # goodbye flow ends
    escalated = ChatClient(client)
    escalated.start(lang="en")
    assert escalated.escalate(email="ann@example.com").status_code == 201
    _idle(120)
    assert mark_abandoned_conversations() == 0
    assert not _events().exists()


def test_a_visitor_who_never_left_an_email_after_the_hand_off_is_abandoned(chat):
    chat.start(lang="fi")
    body = chat.send("ihminen")
    assert body["needs_email"] is True
    _idle(45)
    assert mark_abandoned_conversations() == 1
    assert _events().get().data["waiting_for_email"] is True


def test_a_visitor_who_opened_the_chat_and_said_nothing_is_abandoned(chat):
    chat.start(lang="ar")
    _idle(45)
    assert mark_abandoned_conversations() == 1
    assert _events().get().data["turns"] == 0


def test_coming_back_after_being_marked_does_not_record_a_second_abandonment(chat):
    chat.start(lang="en")
    _idle(45)
    mark_abandoned_conversations()
    chat.send("where is my order")
    _idle(45)
    assert mark_abandoned_conversations() == 0
    assert _events().count() == 1


def test_beat_runs_the_sweep():
    entries = [e["task"] for e in settings.CELERY_BEAT_SCHEDULE.values()]
    assert "chatbot.tasks.mark_abandoned" in entries


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_concurrent_sweeps_record_each_abandonment_once(client, widget, queues):
    from tests.chatbot.helpers import ChatClient

    for _ in range(6):
        ChatClient(client).start(lang="en")
    _idle(60)
    barrier, counts, errors = threading.Barrier(4), [], []

    def sweep() -> None:
        try:
            barrier.wait()
            counts.append(mark_abandoned_conversations())
        except Exception as exc:  # collected and asserted below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=sweep) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == [] and sum(counts) == 6
    assert _events().count() == 6
    assert not Conversation.objects.filter(abandoned_at__isnull=True).exists()


def test_admin_filters_abandoned_conversations(chat, client, admin_user):
    chat.start(lang="en")
    _idle(45)
    mark_abandoned_conversations()
    client.force_login(admin_user)
    listing = client.get("/admin/chatbot/conversation/?abandoned_at__isempty=0")
    assert listing.status_code == 200
    assert str(Conversation.objects.get().public_id) in listing.content.decode()
    empty = client.get("/admin/chatbot/conversation/?abandoned_at__isempty=1")
    assert str(Conversation.objects.get().public_id) not in empty.content.decode()
