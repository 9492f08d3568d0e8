"""Privacy: the JSON export holds everything about a contact; erasing leaves no personal data
in any table, file or the search index, keeps pseudonymous statistics, and is audited."""

from __future__ import annotations

import io

import pytest
from django.apps import apps
from django.db import models

from customers.models import AuditLog, Contact
from customers.services import ContactError, add_contact_email, erase_contact, export_contact_data
from helpdesk.events import record_event
from helpdesk.models import Event
from mail.models import InboundEmail
from mail.services import ingest_email
from tests.chatbot.helpers import sign
from tests.mail.conftest import read_fixture
from tickets.models import Attachment, Ticket
from tickets.services import rate_ticket, update_ticket

pytestmark = pytest.mark.django_db
PERSONAL = (
    "casey.customer@gmail.com",
    "Casey Customer",
    "casey.other@example.com",
    "+358 40 123 4567",
    "NW-12345",
    "invoice 2026-11",
    "shop-casey-7",
)
# Sessions and the admin's log hold no customer data; every other app's columns are searched.
SKIPPED_APPS = {"sessions", "admin"}


@pytest.fixture
def casey(settings, agent):
    settings.DEFAULT_FROM_EMAIL = "support@example.com"
    ticket = ingest_email(
        read_fixture("gmail_new_multipart_alternative.eml"), source="command"
    ).ticket
    ingest_email(read_fixture("attachments.eml"), source="command")
    contact = ticket.requester
    contact.phone = "+358 40 123 4567"
    contact.notes = "Casey Customer called about NW-12345"
    contact.save()
    add_contact_email(contact=contact, email="casey.other@example.com")
    record_event(
        kind="search.performed",
        contact_id=contact.pk,
        data={"query": "casey.customer@gmail.com refund", "results": 3},
    )
    update_ticket(ticket=ticket, actor=agent, expected_version=None, status="solved")
    rate_ticket(ticket=ticket, rating="good", comment="Casey Customer is happy", contact=contact)
    return contact


@pytest.fixture
def casey_chatted(casey):
    """Casey also chatted: once signed in on the shop (verified), once anonymously until they
    typed their address; both escalated, so their transcripts became tickets too."""
    from chatbot import services as chat
    from chatbot.demo import load

    widget = load(io.StringIO())
    identity = {
        "user_id": "shop-casey-7", "email": "casey.customer@gmail.com", "name": "Casey Customer",
        "signature": sign(widget.identity_secret, "shop-casey-7", "casey.customer@gmail.com"),
    }  # fmt: skip
    verified, _token, _greeting = chat.start_conversation(
        widget=widget, language="en", identity=identity,
        page_url="https://shop.example/account?email=casey.customer@gmail.com",
        referrer="https://mail.example/search?q=invoice 2026-11", user_agent="Casey Customer's PC",
    )  # fmt: skip
    chat.send_message(conversation=verified, text="Where is my order?")
    chat.send_message(conversation=verified, text="NW-12345")
    chat.rate_conversation(conversation=verified, rating="bad", comment="Casey Customer is upset")
    chat.escalate_conversation(conversation=verified)
    anonymous, _token, _greeting = chat.start_conversation(
        widget=widget, language="en", page_url="https://shop.example/track?order=NW-12345"
    )
    chat.send_message(conversation=anonymous, text="Call me on +358 40 123 4567")
    chat.escalate_conversation(conversation=anonymous, email="casey.other@example.com")
    assert casey.conversations.count() == 2
    return casey


def _rows_mentioning(text: str) -> list[str]:
    found = []
    for model in apps.get_models():
        if model._meta.app_label in SKIPPED_APPS:
            continue
        fields = [
            f
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField | models.JSONField)
        ]
        for field in fields:
            if model._default_manager.filter(**{f"{field.name}__icontains": text}).exists():
                found.append(f"{model._meta.label}.{field.name}")
    return found


def test_the_export_holds_profile_tickets_messages_mail_and_events(casey, admin_user):
    data = export_contact_data(contact=casey, actor=admin_user)
    assert data["contact"]["email"] == "casey.customer@gmail.com"
    assert data["contact"]["other_emails"] == ["casey.other@example.com"]
    assert {t["subject"] for t in data["tickets"]} == {
        "My order NW-12345 has not arrived",
        "Invoice and photo of the damage",
    }
    assert any("NW-12345" in m["body"] for t in data["tickets"] for m in t["messages"])
    assert len(data["emails_received"]) == 2
    assert any(e["kind"] == "search.performed" for e in data["events"])
    assert AuditLog.objects.filter(action="export", contact_id=casey.pk, actor=admin_user).exists()


def test_erasing_leaves_no_personal_data_in_any_table(casey_chatted, admin_user):
    assert _rows_mentioning("casey.customer@gmail.com")  # the check can see it before...
    assert {"chatbot.Conversation.page_url", "chatbot.ConversationMessage.text"} <= set(
        _rows_mentioning("NW-12345")
    )  # ...in the chats too...
    erase_contact(contact=casey_chatted, actor=admin_user)
    for text in PERSONAL:
        assert _rows_mentioning(text) == [], text  # ...and nowhere after


def test_erasing_deletes_stored_files(casey, admin_user):
    files = [a.file for a in Attachment.objects.all()] + [i.raw for i in InboundEmail.objects.all()]
    paths = [f.path for f in files]
    assert paths and all(__import__("os").path.exists(p) for p in paths)
    erase_contact(contact=casey, actor=admin_user)
    assert not any(__import__("os").path.exists(p) for p in paths)
    assert not Attachment.objects.exists()


def test_statistics_survive_under_a_pseudonym(casey, admin_user):
    kinds_before = sorted(Event.objects.filter(contact_id=casey.pk).values_list("kind", flat=True))
    erase_contact(contact=casey, actor=admin_user)
    casey.refresh_from_db()
    assert casey.is_erased and casey.email == f"erased-{casey.pk}@erased.invalid"
    assert Ticket.objects.filter(requester=casey).count() == 2
    assert Ticket.objects.get(requester=casey, satisfaction="good").channel == "email"
    kinds_after = sorted(Event.objects.filter(contact_id=casey.pk).values_list("kind", flat=True))
    assert kinds_after == sorted([*kinds_before, "contact.erased"])
    search = Event.objects.get(contact_id=casey.pk, kind="search.performed")
    assert search.data == {"results": 3}
    assert AuditLog.objects.filter(action="erase", contact_id=casey.pk, actor=admin_user).exists()


def test_the_portal_account_is_anonymised_and_closed(casey, admin_user, make_user):
    user = make_user(email="casey.customer@gmail.com", name="Casey Customer")
    Contact.objects.filter(pk=casey.pk).update(user=user)
    erase_contact(contact=Contact.objects.get(pk=casey.pk), actor=admin_user)
    user.refresh_from_db()
    assert not user.is_active and not user.has_usable_password()
    assert "casey" not in user.email and user.name == ""


def test_erasing_twice_is_refused(casey):
    erase_contact(contact=casey)
    with pytest.raises(ContactError):
        erase_contact(contact=Contact.objects.get(pk=casey.pk))


def test_no_search_index_document_names_the_erased_contact(casey_chatted, admin_user):
    from haystack.query import SearchQuerySet

    erase_contact(contact=casey_chatted, actor=admin_user)
    for text in ("casey.customer@gmail.com", "Casey Customer"):
        assert SearchQuerySet().auto_query(text).count() == 0
