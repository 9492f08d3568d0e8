"""Chat conversations in a contact's privacy export and erasure (customers cannot see them)."""

from __future__ import annotations

import secrets
from typing import Any

from django.db.models import Prefetch, Q, QuerySet

from customers.models import Contact
from helpdesk.models import Event
from mail.privacy import ERASED

from .models import Conversation, ConversationMessage

BATCH = 500


def _conversations(contact: Contact) -> QuerySet[Conversation]:
    """The contact's chats: linked to them, or escalated into one of their tickets."""
    return Conversation.objects.filter(Q(contact=contact) | Q(ticket__requester=contact))


def _message(message: ConversationMessage) -> dict[str, Any]:
    return {
        "at": message.created_at.isoformat(),
        "author": message.author,
        "text": message.text,
        "articles": [a.get("title", "") for a in (message.payload or {}).get("articles", [])],
    }


def _conversation(conversation: Conversation) -> dict[str, Any]:
    state = conversation.state or {}
    return {
        "id": str(conversation.public_id),
        "widget": conversation.widget.name,
        "started_at": conversation.created_at.isoformat(),
        "status": conversation.status,
        "language": conversation.language,
        "page_url": conversation.page_url,
        "referrer": conversation.referrer,
        "browser": conversation.user_agent,
        "site_user_id": conversation.external_user_id,
        "identity_verified": conversation.is_identity_verified,
        "details_collected": state.get("slots") or {},
        "articles_opened": conversation.articles_opened,
        "ticket": conversation.ticket.reference if conversation.ticket else None,
        "rating": conversation.rating,
        "rating_comment": conversation.rating_comment,
        "messages": [_message(m) for m in conversation.messages.all()],
    }


def export_section(sender, contact: Contact, **kwargs) -> dict:
    """Every chat of the contact with its messages, collected details, pages and rating."""
    messages = Prefetch("messages", queryset=ConversationMessage.objects.order_by("id"))
    conversations = (
        _conversations(contact)
        .select_related("widget", "ticket")
        .prefetch_related(messages)
        .order_by("created_at", "id")
    )
    return {"chat_conversations": [_conversation(c) for c in conversations.iterator(BATCH)]}


def _erased_state(state: dict[str, Any]) -> dict[str, Any]:
    """Slot names stay (which details a flow collected is a statistic); their values go, as do
    the visitor's last question and the quick replies offered (labels may quote slots)."""
    state = dict(state or {})
    state["slots"] = {name: ERASED for name in (state.get("slots") or {})}
    state["query"], state["offered"] = "", []
    return state


def _erased_payload(payload: dict[str, Any]) -> dict[str, Any]:
    """Keep which articles were suggested; quick-reply labels may carry filled-in slots."""
    return {"articles": (payload or {}).get("articles", [])}


def _erase_messages(conversation_ids: list[int]) -> None:
    """Every bubble, not only the visitor's: bot and agent texts quote their name and details."""
    rows = ConversationMessage.objects.filter(conversation_id__in=conversation_ids)
    batch = []
    for message in rows.only("pk", "payload").order_by("pk").iterator(BATCH):
        message.text, message.payload = ERASED, _erased_payload(message.payload)
        batch.append(message)
        if len(batch) >= BATCH:
            ConversationMessage.objects.bulk_update(batch, ["text", "payload"])
            batch = []
    if batch:
        ConversationMessage.objects.bulk_update(batch, ["text", "payload"])


def erase_section(sender, contact: Contact, **kwargs) -> None:
    """Anonymise the contact's chats; rows, statuses, intents and ratings stay for statistics."""
    conversations = list(_conversations(contact).only("pk", "public_id", "state"))
    for conversation in conversations:
        conversation.state = _erased_state(conversation.state)
        # A visitor still holding the old token finds no conversation and starts afresh.
        conversation.token_hash = secrets.token_hex(32)
        conversation.page_url = conversation.referrer = conversation.user_agent = ""
        conversation.external_user_id = conversation.rating_comment = ""
    Conversation.objects.bulk_update(
        conversations,
        [
            "state", "token_hash", "page_url", "referrer", "user_agent", "external_user_id",
            "rating_comment",
        ],
        batch_size=BATCH,
    )  # fmt: skip
    _erase_messages([c.pk for c in conversations])
    # Events of the chat from before the visitor gave their address carry no contact id; they
    # are theirs too, so customers' erase (which runs after this) pseudonymises them as well.
    sessions = [str(c.public_id) for c in conversations]
    Event.objects.filter(session_id__in=sessions, contact_id__isnull=True).update(
        contact_id=contact.pk
    )
