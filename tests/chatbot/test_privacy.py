"""A contact's chats in their privacy export and erasure: everything exported; on erasure the
personal data goes while rows, statuses, intents and ratings stay for statistics."""

from __future__ import annotations

import pytest

from chatbot import services as chat_services
from chatbot.models import Author, Conversation, ConversationMessage
from customers.models import Contact
from customers.services import erase_contact, export_contact_data
from helpdesk.models import Event
from tests.chatbot.helpers import sign

CASEY = "casey.customer@gmail.com"
PAGE = "https://shop.example/orders/NW-12345?email=casey.customer%40gmail.com"


def _verified_chat(widget) -> tuple[Conversation, str]:
    identity = {
        "user_id": "shop-casey-7", "email": CASEY, "name": "Casey Customer",
        "signature": sign(widget.identity_secret, "shop-casey-7", CASEY),
    }  # fmt: skip
    conversation, token, _ = chat_services.start_conversation(
        widget=widget, language="en", page_url=PAGE, referrer="https://mail.example/?to=casey",
        user_agent="Mozilla/5.0 (Casey's laptop)", identity=identity,
    )  # fmt: skip
    chat_services.send_message(conversation=conversation, text="Where is my order?")
    chat_services.send_message(conversation=conversation, text="NW-12345")
    chat_services.rate_conversation(
        conversation=conversation, rating="bad", comment="Casey here: still no parcel"
    )
    chat_services.escalate_conversation(conversation=conversation)
    return Conversation.objects.get(pk=conversation.pk), token


def _anonymous_chat_then_email(widget) -> Conversation:
    """Anonymous until the visitor typed their address: early events carry no contact id."""
    conversation, _token, _ = chat_services.start_conversation(
        widget=widget, language="en", page_url="https://shop.example/track?order=NW-12345"
    )
    chat_services.send_message(conversation=conversation, text="I am Casey, call +358 40 123")
    chat_services.escalate_conversation(conversation=conversation, email=CASEY)
    return Conversation.objects.get(pk=conversation.pk)


@pytest.fixture
def chats(widget, queues):
    verified, token = _verified_chat(widget)
    anonymous = _anonymous_chat_then_email(widget)
    stranger, _t, _m = chat_services.start_conversation(
        widget=widget, language="en", page_url="https://shop.example/stranger"
    )
    chat_services.send_message(conversation=stranger, text="Where is my order?")
    chat_services.send_message(conversation=stranger, text="AB-11111")
    assert verified.contact == anonymous.contact
    return {"verified": verified, "token": token, "anonymous": anonymous, "stranger": stranger}


def test_the_export_holds_every_chat_with_messages_details_pages_and_rating(chats):
    casey = chats["verified"].contact
    exported = export_contact_data(contact=casey)["chat_conversations"]
    assert [c["id"] for c in exported] == [
        str(chats["verified"].public_id), str(chats["anonymous"].public_id),
    ]  # fmt: skip
    first = exported[0]
    assert first["page_url"] == PAGE and first["referrer"] == "https://mail.example/?to=casey"
    assert first["browser"] == "Mozilla/5.0 (Casey's laptop)"
    assert first["details_collected"] == {"order_number": "NW-12345"}
    assert (first["rating"], first["rating_comment"]) == ("bad", "Casey here: still no parcel")
    assert first["site_user_id"] == "shop-casey-7" and first["identity_verified"] is True
    assert first["ticket"] == chats["verified"].ticket.reference
    said = [(m["author"], m["text"]) for m in first["messages"]]
    assert ("customer", "NW-12345") in said
    assert any(a == "bot" and "NW-12345" in t for a, t in said)  # the bot's filled-in reply
    assert all("AB-11111" not in str(c) for c in exported)  # nobody else's chat


def _erase(chats) -> tuple[Conversation, Conversation]:
    erase_contact(contact=chats["verified"].contact)
    return (
        Conversation.objects.get(pk=chats["verified"].pk),
        Conversation.objects.get(pk=chats["anonymous"].pk),
    )


def test_erasing_blanks_the_personal_data_of_every_chat(chats):
    for conversation in _erase(chats):
        assert (conversation.page_url, conversation.referrer, conversation.user_agent) == (
            "", "", "",
        )  # fmt: skip
        assert conversation.external_user_id == "" and conversation.rating_comment == ""
        assert "NW-12345" not in str(conversation.state)
        assert conversation.state["query"] == "" and conversation.state["offered"] == []
        texts = set(conversation.messages.values_list("text", flat=True))
        assert texts == {"[erased]"}
        assert all(
            "quick_replies" not in p
            for p in conversation.messages.values_list("payload", flat=True)
        )


def test_erasing_keeps_rows_statuses_intents_and_ratings_for_statistics(chats):
    before = {
        c.pk: (c.status, c.rating, c.is_identity_verified, c.ticket_id, c.messages.count())
        for c in (chats["verified"], chats["anonymous"])
    }
    matched = ConversationMessage.objects.order_by("id").values_list("author", "intent", "step")
    engine_facts = list(matched)
    verified, anonymous = _erase(chats)
    after = {
        c.pk: (c.status, c.rating, c.is_identity_verified, c.ticket_id, c.messages.count())
        for c in (verified, anonymous)
    }
    assert after == before
    assert verified.contact == anonymous.contact == Contact.objects.get(pk=verified.contact_id)
    assert verified.state["slots"] == {"order_number": "[erased]"}  # which detail, not its value
    assert list(matched.all()) == engine_facts  # what the bot matched, for tuning its rules
    assert ("customer", "", "order_status:ask_order_number") in engine_facts


def test_erasing_leaves_other_visitors_chats_alone(chats):
    _erase(chats)
    stranger = Conversation.objects.get(pk=chats["stranger"].pk)
    assert stranger.page_url == "https://shop.example/stranger"
    said = list(stranger.messages.filter(author=Author.CUSTOMER).values_list("text", flat=True))
    assert said == ["Where is my order?", "AB-11111"]
    assert stranger.state["slots"] == {"order_number": "AB-11111"}


def test_the_old_token_no_longer_opens_an_erased_chat(chats):
    assert chat_services.conversation_for_token(chats["token"]) is not None
    _erase(chats)
    assert chat_services.conversation_for_token(chats["token"]) is None


def test_events_from_before_the_visitor_gave_an_address_are_pseudonymised(chats):
    session = str(chats["anonymous"].public_id)
    started = Event.objects.get(session_id=session, kind="chat.session_started")
    assert started.contact_id is None and "NW-12345" in started.data["page_url"]
    _erase(chats)
    started.refresh_from_db()
    assert started.contact_id == chats["anonymous"].contact_id
    assert "page_url" not in started.data and started.data["conversation"] > 0
    stranger = Event.objects.get(
        session_id=str(chats["stranger"].public_id), kind="chat.session_started"
    )
    assert stranger.contact_id is None and stranger.data["page_url"]


def _export_queries(contact: Contact) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from chatbot.privacy import export_section

    with CaptureQueriesContext(connection) as captured:
        export_section(sender=Contact, contact=contact)
    return len(captured)


def test_the_chat_export_costs_the_same_queries_for_one_chat_or_many(widget, queues):
    conversation, _token = _verified_chat(widget)
    contact = conversation.contact
    one = _export_queries(contact)
    for _ in range(3):
        _verified_chat(widget)
    assert contact.conversations.count() == 4
    assert _export_queries(contact) == one
