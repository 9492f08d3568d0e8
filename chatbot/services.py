"""Chat writes: start a conversation, run a turn through the engine, escalate, rate, history."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from chatbot.engine import Reply, Status, respond, start
from customers.models import Contact
from customers.services import ContactError, add_contact_email, resolve_contact
from helpdesk.events import record_event
from tickets.models import Channel, Message, Queue, Ticket
from tickets.models import Status as TicketStatus
from tickets.services import TicketError, add_message, create_ticket

from .bots import bot_for, context_for, pick_language
from .models import Author, Conversation, ConversationMessage, ConversationStatus, Widget
from .transcript import build_transcript

MAX_TEXT_CHARS = 2000
IDEMPOTENCY_SCOPE = "chatbot"


class ChatError(Exception):
    """A chat rule was broken; the message is safe to show to the visitor."""


class ChatClosed(ChatError):
    """The conversation's ticket is closed; the visitor has to start a new chat."""


class EmailNeeded(ChatError):
    """Escalation needs an address to reply to and the visitor is anonymous."""


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def conversation_for_token(token: str) -> Conversation | None:
    """The conversation this secret opens; the lookup is by hash, never by the token itself."""
    if not token:
        return None
    found = Conversation.objects.select_related("widget__bot", "contact", "ticket")
    return found.filter(token_hash=hash_token(token), widget__is_active=True).first()


def verify_identity(*, widget: Widget, user_id: str, email: str, signature: str) -> bool:
    """The host site signed "<user_id>\\n<email>" with the widget's secret (HMAC-SHA256, hex)."""
    if not (widget.identity_secret and email and signature):
        return False
    message = f"{user_id}\n{email}".encode()
    expected = hmac.new(widget.identity_secret.encode(), message, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, signature.strip().lower())


def _event(conversation: Conversation, kind: str, **data: Any) -> None:
    record_event(
        kind=kind, session_id=str(conversation.public_id), contact_id=conversation.contact_id,
        language=conversation.language, data={"conversation": conversation.pk, **data},
    )  # fmt: skip


def identity_source(widget: Widget) -> str:
    """Where a widget's user ids come from: ids are only unique within one host site."""
    return f"widget:{widget.public_key}"


def _identified_contact(widget: Widget, identity: dict | None, language: str) -> Contact | None:
    """The contact only when the host's signature checks out; anything else stays anonymous.

    An unsigned or forged identity is not even recorded under its address here: the bot would
    greet the visitor by that contact's name. A signed one is remembered per user id, so the
    same person keeps their contact when their address on the host site changes.
    """
    if not identity:
        return None
    email = (identity.get("email") or "").strip()
    user_id = str(identity.get("user_id") or "")
    signed = verify_identity(
        widget=widget, user_id=user_id, email=email, signature=identity.get("signature") or ""
    )
    if not signed:
        return None
    contact = resolve_contact(
        email=email, name=identity.get("name") or "", language=language, is_verified=True,
        source=identity_source(widget), external_id=user_id,
    )  # fmt: skip
    if contact is not None and user_id:
        _remember_address(contact, email)
    return contact


def _remember_address(contact: Contact, email: str) -> None:
    """A signed address new to the contact becomes one of theirs, so their mail from it lands
    on the same timeline; an address that is someone else's stays theirs (`add_contact_email`
    refuses it: merge is a person's decision)."""
    if contact.is_erased:
        return
    try:
        with transaction.atomic():
            add_contact_email(contact=contact, email=email)
    except (ContactError, IntegrityError):
        pass


@transaction.atomic
def start_conversation(
    *,
    widget: Widget,
    language: str = "",
    page_url: str = "",
    referrer: str = "",
    user_agent: str = "",
    identity: dict | None = None,
) -> tuple[Conversation, str, list[ConversationMessage]]:
    """Open a conversation; returns it, its secret token (shown once) and the greeting."""
    bot = bot_for(widget)
    lang = pick_language(bot, language, widget.default_language)
    contact = _identified_contact(widget, identity, lang)
    token = secrets.token_urlsafe(32)
    conversation = Conversation.objects.create(
        widget=widget, token_hash=hash_token(token), language=lang, page_url=page_url[:2000],
        referrer=referrer[:2000], user_agent=user_agent[:400], contact=contact,
        is_identity_verified=contact is not None,
        external_user_id=str((identity or {}).get("user_id") or "")[:200] if contact else "",
    )  # fmt: skip
    reply = start(bot, lang, context_for(conversation))
    conversation.state = reply.state
    conversation.save(update_fields=["state", "updated_at"])
    _event(conversation, "chat.session_started", widget=widget.pk, page_url=page_url[:500])
    return conversation, token, _store_reply(conversation, reply)


def _store_reply(conversation: Conversation, reply: Reply) -> list[ConversationMessage]:
    stored = []
    for message in reply.messages:
        articles = [{"id": a.id, "title": a.title, "url": a.url} for a in message.articles]
        quick = [{"label": q.label, "payload": q.payload} for q in message.quick_replies]
        stored.append(
            ConversationMessage.objects.create(
                conversation=conversation,
                author=Author.BOT,
                text=message.text,
                step=f"{reply.flow or ''}:{reply.step or ''}",
                payload={"quick_replies": quick, "articles": articles},
            )
        )
        if articles:
            _event(conversation, "chat.article_shown", articles=[a["id"] for a in articles])
    return stored


def _system(conversation: Conversation, text: str) -> ConversationMessage:
    return ConversationMessage.objects.create(
        conversation=conversation, author=Author.SYSTEM, text=text
    )


def _locked(conversation: Conversation) -> Conversation:
    # No select_related: after waiting for the lock, PostgreSQL re-reads only the locked row, so
    # a ticket committed by the request we waited for would be invisible in the same statement.
    return Conversation.objects.select_for_update().get(pk=conversation.pk)


def _check_text(text: str) -> str:
    text = (text or "").strip()
    if not text:
        raise ChatError(_("The message is empty."))
    if len(text) > MAX_TEXT_CHARS:
        raise ChatError(_("The message is too long."))
    return text


def send_message(*, conversation: Conversation, text: str) -> list[ConversationMessage]:
    """Store the visitor's message and answer it: the bot, or the ticket once escalated."""
    try:
        return _send_message(conversation, _check_text(text))
    except ChatClosed:
        # Recorded outside the failed turn's transaction, which has been rolled back.
        Conversation.objects.filter(pk=conversation.pk).update(
            status=ConversationStatus.CLOSED, updated_at=timezone.now()
        )
        raise


@transaction.atomic
def _send_message(conversation: Conversation, text: str) -> list[ConversationMessage]:
    conversation = _locked(conversation)
    if conversation.status == ConversationStatus.CLOSED:
        raise ChatClosed(_("This conversation is closed. Please start a new one."))
    before_step = f"{conversation.state.get('flow') or ''}:{conversation.state.get('step') or ''}"
    customer = ConversationMessage.objects.create(
        conversation=conversation, author=Author.CUSTOMER, text=text, step=before_step
    )
    _event(conversation, "chat.message", author="customer", message=customer.pk)
    if conversation.ticket_id:
        _append_to_ticket(conversation, text)
        return [customer]
    if conversation.state.get("status") == Status.ESCALATED.value:
        return [customer, *_collect_email(conversation, text)]
    return [customer, *_bot_turn(conversation, customer, text)]


def _bot_turn(
    conversation: Conversation, customer: ConversationMessage, text: str
) -> list[ConversationMessage]:
    bot = bot_for(conversation.widget)
    reply = respond(bot, conversation.state, text, conversation.language, context_for(conversation))
    customer.intent = (reply.matched_intent or "")[:100]
    customer.score, customer.reason = reply.score, (reply.reason or "")[:200]
    customer.save(update_fields=["intent", "score", "reason"])
    conversation.state = reply.state
    conversation.save(update_fields=["state", "updated_at"])
    stored = _store_reply(conversation, reply)
    if reply.resolved:
        _event(conversation, "chat.resolved_by_bot", intent=reply.state.get("intent"))
    if reply.handoff:
        stored += _auto_escalate(conversation)
    return stored


def _auto_escalate(conversation: Conversation) -> list[ConversationMessage]:
    """The flow handed off: open the ticket now, or ask an anonymous visitor for an address."""
    email = str((conversation.state.get("slots") or {}).get("email") or "")
    try:
        escalate_conversation(conversation=conversation, email=email)
    except EmailNeeded as exc:
        return [_system(conversation, str(exc))]
    return list(conversation.messages.filter(author=Author.SYSTEM).order_by("-id")[:1])


def _collect_email(conversation: Conversation, text: str) -> list[ConversationMessage]:
    try:
        validate_email(text)
    except ValidationError:
        return [_system(conversation, _email_prompt(conversation.language))]
    escalate_conversation(conversation=conversation, email=text)
    return list(conversation.messages.filter(author=Author.SYSTEM).order_by("-id")[:1])


def _append_to_ticket(conversation: Conversation, text: str) -> None:
    try:
        add_message(
            ticket=conversation.ticket, body=text, channel=Channel.WIDGET,
            author_contact=conversation.ticket.requester,
        )  # fmt: skip
    except TicketError as exc:
        is_closed = conversation.ticket.status == TicketStatus.CLOSED
        raise (ChatClosed if is_closed else ChatError)(str(exc)) from exc


def _email_prompt(language: str) -> str:
    with override(language):
        return _("Please leave your email address so that our team can reply to you.")


def _escalated_text(language: str, reference: str) -> str:
    with override(language):
        return _("Our team has your conversation as %(reference)s and will reply here.") % {
            "reference": reference
        }


@transaction.atomic
def escalate_conversation(
    *, conversation: Conversation, email: str = "", name: str = ""
) -> tuple[Ticket, bool]:
    """The conversation's one ticket (created on the first call), and whether this call made it."""
    conversation = _locked(conversation)
    if conversation.ticket_id:
        return conversation.ticket, False
    contact = conversation.contact or _contact_from_email(email, name, conversation.language)
    if contact is None:
        raise EmailNeeded(_email_prompt(conversation.language))
    messages = list(conversation.messages.order_by("id"))
    conversation.contact = contact
    ticket = create_ticket(
        subject=_subject(conversation, messages), requester=contact, channel=Channel.WIDGET,
        body=build_transcript(conversation=conversation, messages=messages),
        queue=Queue.objects.filter(slug=conversation.state.get("queue") or "").first(),
        language=conversation.language, idempotency_scope=IDEMPOTENCY_SCOPE,
        idempotency_key=f"conversation-{conversation.public_id}",
        session_id=str(conversation.public_id),
    )  # fmt: skip
    conversation.state = {**conversation.state, "status": Status.ESCALATED.value}
    conversation.ticket, conversation.status = ticket, ConversationStatus.ESCALATED
    conversation.escalated_at = timezone.now()
    conversation.save(
        update_fields=["contact", "state", "ticket", "status", "escalated_at", "updated_at"]
    )
    _system(conversation, _escalated_text(conversation.language, ticket.reference))
    _event(conversation, "chat.escalated", ticket=ticket.pk, queue=ticket.queue_id)
    return ticket, True


def _contact_from_email(email: str, name: str, language: str) -> Contact | None:
    """The contact of an address typed into the chat: an unverified claim, recorded under that
    address but never allowed to link, merge or change a known contact."""
    email = (email or "").strip()
    if not email:
        return None
    try:
        validate_email(email)
    except ValidationError as exc:
        raise ChatError(_("That doesn't look like an email address.")) from exc
    return resolve_contact(email=email, name=name, language=language, is_verified=False)


def _subject(conversation: Conversation, messages: list[ConversationMessage]) -> str:
    first = next((m.text for m in messages if m.author == Author.CUSTOMER), "")
    topic = conversation.state.get("intent") or ""
    label = topic.replace("_", " ") if topic else first[:80]
    return f"Chat: {label}" if label else "Chat conversation"


@transaction.atomic
def rate_conversation(*, conversation: Conversation, rating: str, comment: str = "") -> None:
    """The visitor's verdict on the chat; a later rating replaces the earlier one."""
    if rating not in {"good", "bad"}:
        raise ChatError(_("Rate the chat good or bad."))
    conversation = _locked(conversation)
    conversation.rating, conversation.rating_comment = rating, (comment or "")[:2000]
    conversation.save(update_fields=["rating", "rating_comment", "updated_at"])
    _event(conversation, "chat.rated", rating=rating)


@transaction.atomic
def record_article_opened(*, conversation: Conversation, article_id: str) -> None:
    """The visitor opened a suggested article (the transcript says which ones)."""
    conversation = _locked(conversation)
    article_id = str(article_id)[:40]
    if article_id not in conversation.articles_opened:
        conversation.articles_opened = [*conversation.articles_opened, article_id]
        conversation.save(update_fields=["articles_opened", "updated_at"])
    _event(conversation, "chat.article_opened", article=article_id)


def history(*, conversation: Conversation, after: int | None = None) -> list[ConversationMessage]:
    """Messages after `after`, with agents' public ticket replies copied in first."""
    if conversation.ticket_id:
        _copy_agent_replies(conversation)
    messages = conversation.messages.order_by("id")
    return list(messages.filter(id__gt=after) if after else messages)


def _copy_agent_replies(conversation: Conversation) -> None:
    copied = conversation.messages.exclude(ticket_message=None).values("ticket_message_id")
    replies = (
        Message.objects.public()
        .filter(ticket_id=conversation.ticket_id, author_user__isnull=False)
        .filter(created_at__gte=conversation.escalated_at)
        .exclude(pk__in=copied)
        .order_by("id")
    )
    rows = [
        ConversationMessage(
            conversation=conversation,
            author=Author.AGENT,
            text=reply.body,
            ticket_message=reply,
            created_at=reply.created_at,
        )
        for reply in replies
    ]
    # Two polls at once may both copy; the unique link keeps one row per reply.
    ConversationMessage.objects.bulk_create(rows, ignore_conflicts=True)
