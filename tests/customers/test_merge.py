"""Merging duplicate contacts: tickets, chats, messages, mail, events and addresses follow."""

from __future__ import annotations

import pytest

from chatbot.models import Conversation, Widget
from customers.models import AuditLog, Contact, ContactEmail
from customers.services import ContactError, find_contact, get_or_create_contact, merge_contacts
from helpdesk.events import record_event
from helpdesk.models import Event
from mail.models import TicketParticipant
from tests.tickets.factories import make_ticket
from tickets.models import Message

pytestmark = pytest.mark.django_db


@pytest.fixture
def pair():
    keep = get_or_create_contact(email="casey@example.com", name="Casey")
    dup = get_or_create_contact(email="casey.c@gmail.com", language="fi")
    dup.phone, dup.notes, dup.attributes = "+358 40 1", "Prefers email.", {"plan": "gold"}
    dup.save()
    keep.attributes = {"plan": "free"}
    keep.save()
    return keep, dup


def test_everything_pointing_at_the_duplicate_moves_to_the_contact_kept(pair, agent):
    keep, dup = pair
    mine = make_ticket(email=keep.email)
    theirs = make_ticket(email=dup.email, subject="Second ticket")
    widget = Widget.objects.create(name="W", public_key="w", allowed_origins=[])
    chat = Conversation.objects.create(
        widget=widget, token_hash="h" * 64, language="en", contact=dup
    )
    TicketParticipant.objects.create(ticket=mine, contact=dup)
    TicketParticipant.objects.create(ticket=theirs, contact=keep)
    record_event(kind="kb.article_voted", contact_id=dup.pk, data={"article": 1})
    merge_contacts(source=dup, target=keep, actor=agent)

    assert not Contact.objects.filter(pk=dup.pk).exists()
    theirs.refresh_from_db()
    chat.refresh_from_db()
    assert theirs.requester == keep and chat.contact == keep
    assert not Message.objects.filter(author_contact_id=dup.pk).exists()
    assert Message.objects.filter(ticket=theirs, author_contact=keep).exists()
    assert not Event.objects.filter(contact_id=dup.pk).exists()
    assert Event.objects.filter(contact_id=keep.pk, kind="kb.article_voted").exists()
    assert set(TicketParticipant.objects.values_list("ticket", "contact")) == {
        (mine.pk, keep.pk),
        (theirs.pk, keep.pk),
    }
    assert find_contact("casey.c@gmail.com") == keep
    assert AuditLog.objects.get(action="merge").detail["merged"] == dup.pk


def test_the_kept_contact_wins_and_its_blanks_are_filled(pair):
    keep, dup = pair
    merged = merge_contacts(source=dup, target=keep)
    assert (merged.name, merged.language, merged.phone) == ("Casey", "fi", "+358 40 1")
    assert merged.attributes == {"plan": "free"} and "Prefers email." in merged.notes
    assert list(ContactEmail.objects.values_list("email", flat=True)) == ["casey.c@gmail.com"]


def test_a_portal_account_moves_with_the_duplicate_but_two_accounts_cannot_merge(pair, make_user):
    keep, dup = pair
    dup.user = make_user(email="casey.c@gmail.com")
    dup.save()
    assert merge_contacts(source=dup, target=keep).user == dup.user
    other = get_or_create_contact(email="third@example.com")
    other.user = make_user(email="third@example.com")
    other.save()
    with pytest.raises(ContactError, match="portal account"):
        merge_contacts(source=other, target=keep)


def test_a_contact_cannot_be_merged_into_itself(pair):
    with pytest.raises(ContactError):
        merge_contacts(source=pair[0], target=pair[0])
