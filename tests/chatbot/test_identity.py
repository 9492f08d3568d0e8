"""Identity verification: only a valid HMAC from the host site links the contact."""

from __future__ import annotations

from chatbot.models import Conversation
from customers.models import Contact
from tests.chatbot.helpers import sign


def _conversation(started) -> Conversation:
    return Conversation.objects.get(public_id=started["conversation_id"])


def test_valid_signature_links_the_contact(chat, widget):
    signature = sign(widget.identity_secret, "u-42", "casey@example.com")
    identity = {"user_id": "u-42", "email": "casey@example.com", "signature": signature}
    conversation = _conversation(chat.start(identity=identity))
    assert conversation.is_identity_verified
    assert conversation.contact.email == "casey@example.com"
    assert conversation.external_user_id == "u-42"


def test_wrong_signature_stays_anonymous_and_never_touches_a_known_contact(chat, widget):
    known = Contact.objects.create(email="victim@example.com", name="Victim")
    forged = sign("not-the-secret", "u-1", "victim@example.com")
    identity = {"user_id": "u-1", "email": "victim@example.com", "name": "X", "signature": forged}
    conversation = _conversation(chat.start(identity=identity))
    assert conversation.contact is None and not conversation.is_identity_verified
    assert known.conversations.count() == 0
    known.refresh_from_db()
    assert known.name == "Victim"


def test_signature_for_another_email_is_rejected(chat, widget):
    signature = sign(widget.identity_secret, "u-1", "me@example.com")
    identity = {"user_id": "u-1", "email": "other@example.com", "signature": signature}
    assert _conversation(chat.start(identity=identity)).contact is None


def test_verified_contact_escalates_without_asking_for_email(chat, widget):
    signature = sign(widget.identity_secret, "u-9", "v@example.com")
    chat.start(identity={"user_id": "u-9", "email": "v@example.com", "signature": signature})
    response = chat.escalate()
    assert response.status_code == 201
