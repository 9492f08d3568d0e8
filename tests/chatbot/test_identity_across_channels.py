"""One person across channels: a signed widget identity is remembered per site user id, portal
accounts and mail land on the same contact, and an unverified claim never reaches a known one."""

from __future__ import annotations

import uuid

import pytest

from chatbot import bots
from chatbot import services as chat_services
from chatbot.models import Conversation
from customers.models import Contact, ContactIdentity
from customers.services import find_contact, merge_contacts
from mail.services import ingest_email
from tests.chatbot.helpers import ChatClient, sign
from tests.mail.conftest import read_fixture
from tests.tickets.factories import make_ticket
from tickets.models import Message, Ticket

CASEY = "casey.customer@gmail.com"


def _conversation(chat: ChatClient) -> Conversation:
    return Conversation.objects.select_related("contact", "ticket__requester").get(
        public_id=chat.started["conversation_id"]
    )


def _signed(widget, user_id: str, email: str, name: str = "") -> dict:
    signature = sign(widget.identity_secret, user_id, email)
    return {"user_id": user_id, "email": email, "name": name, "signature": signature}


def _escalated_requester(chat: ChatClient) -> Contact:
    response = chat.escalate()
    assert response.status_code == 201, response.content
    ticket = _conversation(chat).ticket
    assert ticket.reference == response.json()["ticket_reference"]
    return ticket.requester


# --- a verified identity is remembered ----------------------------------------------------------


def test_verified_identity_keeps_its_contact_when_the_host_changes_its_email(
    client, widget, queues
):
    first = ChatClient(client)
    first.start(identity=_signed(widget, "shop-42", "old@example.com", "Casey"))
    contact = _escalated_requester(first)
    assert contact.email == "old@example.com"

    later = ChatClient(client)
    later.start(identity=_signed(widget, "shop-42", "new@example.com", "Casey"))
    assert _conversation(later).contact == contact and _conversation(later).is_identity_verified
    assert _escalated_requester(later) == contact
    assert Contact.objects.count() == 1
    # The signed new address is now theirs too, so their mail from it finds the same contact.
    assert find_contact("new@example.com") == contact
    identity = ContactIdentity.objects.get()
    assert (identity.source, identity.external_id, identity.contact) == (
        f"widget:{widget.public_key}", "shop-42", contact,
    )  # fmt: skip


def test_a_changed_email_that_belongs_to_another_contact_stays_theirs(client, widget, queues):
    other = Contact.objects.create(email="shared@example.com", name="Other Person")
    first = ChatClient(client)
    first.start(identity=_signed(widget, "shop-42", "mine@example.com"))
    mine = _conversation(first).contact

    later = ChatClient(client)
    later.start(identity=_signed(widget, "shop-42", "shared@example.com"))
    assert _conversation(later).contact == mine
    assert find_contact("shared@example.com") == other  # no silent merge or takeover


def test_the_same_user_id_on_another_widget_is_another_identity(client, widget, queues):
    from chatbot.models import Widget

    other_site = Widget.objects.create(
        name="Other site", public_key="other-key", allowed_origins=widget.allowed_origins,
        bot=widget.bot,
    )  # fmt: skip
    ChatClient(client).start(identity=_signed(widget, "7", "a@example.com"))
    elsewhere = ChatClient(client, key="other-key")
    elsewhere.start(identity=_signed(other_site, "7", "b@example.com"))
    assert _conversation(elsewhere).contact.email == "b@example.com"
    assert ContactIdentity.objects.count() == 2


def test_a_verified_identity_fills_only_blanks_of_a_known_contact(client, widget, queues):
    known = Contact.objects.create(email=CASEY, name="Casey Customer", language="")
    ChatClient(client).start(lang="fi", identity=_signed(widget, "shop-1", CASEY, "Someone Else"))
    known.refresh_from_db()
    assert (known.name, known.language) == ("Casey Customer", "fi")


# --- an unverified claim ------------------------------------------------------------------------


@pytest.fixture
def known(db):
    """A customer with history the impostor must never see; their language is still blank, so a
    claim that was wrongly trusted would fill it."""
    contact = Contact.objects.create(email=CASEY, name="Casey Customer", language="")
    make_ticket(email=CASEY, subject="Refund", body="My card ends 4242, order NW-99999")
    return contact


def _forged(widget, how: str) -> dict:
    if how == "wrong secret":
        return {"user_id": "u-1", "email": CASEY, "name": "Mallory",
                "signature": sign("not-the-secret", "u-1", CASEY)}  # fmt: skip
    if how == "signed for another user id":
        return {"user_id": "u-2", "email": CASEY, "name": "Mallory",
                "signature": sign(widget.identity_secret, "u-1", CASEY)}  # fmt: skip
    return {"user_id": "u-1", "email": CASEY, "name": "Mallory", "signature": ""}


@pytest.mark.parametrize("how", ["wrong secret", "signed for another user id", "unsigned"])
def test_a_forged_identity_never_gets_a_known_customers_history_or_changes_them(
    widget, queues, known, how
):
    conversation, _token, greeting = chat_services.start_conversation(
        widget=widget, language="en", identity=_forged(widget, how)
    )
    assert conversation.contact is None and not conversation.is_identity_verified
    assert conversation.external_user_id == ""
    assert not any("Casey" in m.text for m in greeting)  # not greeted by their name
    chat_services.send_message(conversation=conversation, text="what did I order last time?")

    # Typing their address to reach a person records the chat under it, and nothing more.
    ticket, created = chat_services.escalate_conversation(
        conversation=conversation, email=CASEY.upper(), name="Mallory"
    )
    assert created and ticket.requester == known
    known.refresh_from_db()
    assert (known.name, known.language) == ("Casey Customer", "")
    assert not ContactIdentity.objects.exists()
    seen = " ".join(m.text for m in chat_services.history(conversation=conversation))
    assert "NW-99999" not in seen and "4242" not in seen and "Refund" not in seen
    assert not Conversation.objects.get(pk=conversation.pk).is_identity_verified


def test_a_forged_identity_through_the_widget_api_stays_anonymous(chat, widget, known):
    chat.start(identity=_forged(widget, "wrong secret"))
    conversation = _conversation(chat)
    assert conversation.contact is None
    assert known.conversations.count() == 0


def test_a_forged_identity_cannot_later_claim_the_user_id(client, widget, queues, known):
    ChatClient(client).start(identity=_forged(widget, "signed for another user id"))
    honest = ChatClient(client)
    honest.start(identity=_signed(widget, "u-2", "u2@example.com"))
    assert _conversation(honest).contact.email == "u2@example.com"


def test_an_email_typed_out_of_hours_is_an_unverified_claim(chat, known, monkeypatch):
    monkeypatch.setattr(bots, "team_available", lambda widget, bot: False)
    chat.start()
    chat.send("contact support")
    assert _conversation(chat).state["step"] == "ask_email"
    body = chat.send(CASEY)
    ticket = _conversation(chat).ticket
    assert body["ticket_reference"] == ticket.reference
    assert ticket.requester == known and _conversation(chat).contact == known
    known.refresh_from_db()
    assert (known.name, known.language) == ("Casey Customer", "")
    assert not _conversation(chat).is_identity_verified


def test_a_typed_name_never_fills_a_known_contacts_blank_name(chat):
    nameless = Contact.objects.create(email="quiet@example.com")
    chat.start()
    chat.send("hello")
    assert chat.escalate(email="quiet@example.com", name="Mallory").status_code == 201
    nameless.refresh_from_db()
    assert (nameless.name, nameless.language) == ("", "")
    assert _conversation(chat).contact == nameless


def test_an_address_typed_by_a_new_visitor_creates_their_contact(chat):
    chat.start()
    chat.send("hello")
    assert chat.escalate(email="new.person@example.com", name="New Person").status_code == 201
    contact = find_contact("new.person@example.com")
    assert contact.name == "New Person" and _conversation(chat).contact == contact


# --- portal, widget and mail meet on one contact ------------------------------------------------


def _post_contact_form(client, email: str) -> Ticket:
    data = {
        "name": "Casey Customer", "email": email, "subject": "Parcel", "message": "Where is it?",
        "form_id": str(uuid.uuid4()), "website": "",
    }  # fmt: skip
    response = client.post("/en/contact/", data)
    assert response.status_code == 302, response.content
    return Ticket.objects.order_by("-id").first()


def _reply_by_mail(settings, ticket: Ticket):
    settings.DEFAULT_FROM_EMAIL = "support@example.com"
    settings.MAIL_OWN_ADDRESSES = []
    return ingest_email(
        read_fixture("reply_subject_token_only.eml", ticket=ticket), source="command"
    )


def test_portal_user_verified_widget_identity_and_email_reply_are_one_contact(
    client, widget, queues, make_user, settings
):
    user = make_user(email=CASEY, name="Casey Customer")
    client.force_login(user)
    portal_ticket = _post_contact_form(client, CASEY)
    contact = portal_ticket.requester
    assert contact.user == user

    chat = ChatClient(client)
    chat.start(identity=_signed(widget, "shop-7", CASEY))
    assert _conversation(chat).contact == contact
    assert _escalated_requester(chat) == contact
    chat_ticket = _conversation(chat).ticket

    inbound = _reply_by_mail(settings, chat_ticket)
    assert inbound.status == "reply_added" and inbound.contact == contact
    reply = Message.objects.filter(ticket=chat_ticket).order_by("-id").first()
    assert reply.author_contact == contact
    assert Contact.objects.count() == 1


def test_widget_identity_first_then_portal_account_then_mail_are_one_contact(
    client, widget, queues, make_user, settings
):
    chat = ChatClient(client)
    chat.start(identity=_signed(widget, "shop-7", CASEY, "Casey Customer"))
    contact = _conversation(chat).contact

    user = make_user(email=CASEY, name="Casey Customer")
    client.force_login(user)
    portal_ticket = _post_contact_form(client, CASEY)
    assert portal_ticket.requester == contact
    contact.refresh_from_db()
    assert contact.user == user

    inbound = _reply_by_mail(settings, portal_ticket)
    assert inbound.contact == contact and inbound.status == "reply_added"
    assert Contact.objects.count() == 1


# --- merge --------------------------------------------------------------------------------------


def test_merging_moves_conversations_and_the_remembered_identity(client, widget, queues):
    keep = Contact.objects.create(email="keep@example.com", name="Casey")
    first = ChatClient(client)
    first.start(identity=_signed(widget, "shop-5", "dup@example.com"))
    dup = _conversation(first).contact
    assert dup != keep

    merge_contacts(source=dup, target=keep)
    assert _conversation(first).contact == keep
    again = ChatClient(client)
    again.start(identity=_signed(widget, "shop-5", "dup@example.com"))
    assert _conversation(again).contact == keep
    assert list(keep.conversations.order_by("id")) == [_conversation(first), _conversation(again)]
