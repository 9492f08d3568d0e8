"""Chat widgets, their conversations and every message exchanged in them."""

from __future__ import annotations

import secrets
import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from customers.models import Contact
from tickets.models import Message, Ticket


def new_public_key() -> str:
    return secrets.token_urlsafe(18)


def new_identity_secret() -> str:
    return secrets.token_hex(32)


class Widget(models.Model):
    """One embeddable chat widget: its bot, the sites allowed to embed it, its signing secret."""

    name = models.CharField(_("name"), max_length=100)
    public_key = models.CharField(
        _("public key"), max_length=64, unique=True, default=new_public_key
    )
    identity_secret = models.CharField(
        _("identity secret"),
        max_length=128,
        default=new_identity_secret,
        help_text=_("The host site signs the user's id and email with this (HMAC-SHA256)."),
    )
    allowed_origins = models.JSONField(
        _("allowed origins"),
        default=list,
        blank=True,
        help_text=_('Exact origins allowed to embed the widget, e.g. "https://shop.example".'),
    )
    default_language = models.CharField(_("default language"), max_length=16, default="en")
    is_active = models.BooleanField(_("active"), default=True)
    bot_definition = models.JSONField(_("bot definition"), default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("chat widget")
        verbose_name_plural = _("chat widgets")

    def __str__(self) -> str:
        return self.name

    def allows_origin(self, origin: str) -> bool:
        return origin in (self.allowed_origins or [])


class ConversationStatus(models.TextChoices):
    BOT = "bot", _("With the bot")
    ESCALATED = "escalated", _("Escalated")
    CLOSED = "closed", _("Closed")


class Conversation(models.Model):
    """One visitor's chat; the secret token that reaches it is stored only as a hash."""

    widget = models.ForeignKey(Widget, on_delete=models.CASCADE, related_name="conversations")
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    token_hash = models.CharField(max_length=64, unique=True)
    status = models.CharField(
        max_length=16, choices=ConversationStatus.choices, default=ConversationStatus.BOT
    )
    state = models.JSONField(default=dict, blank=True)
    language = models.CharField(max_length=16)
    page_url = models.CharField(max_length=2000, blank=True)
    referrer = models.CharField(max_length=2000, blank=True)
    user_agent = models.CharField(max_length=400, blank=True)
    contact = models.ForeignKey(
        Contact, on_delete=models.SET_NULL, null=True, blank=True, related_name="conversations"
    )
    external_user_id = models.CharField(max_length=200, blank=True)
    is_identity_verified = models.BooleanField(default=False)
    ticket = models.OneToOneField(
        Ticket, on_delete=models.SET_NULL, null=True, blank=True, related_name="conversation"
    )
    escalated_at = models.DateTimeField(null=True, blank=True)
    articles_opened = models.JSONField(default=list, blank=True)
    rating = models.CharField(
        max_length=8, choices=[("good", _("Good")), ("bad", _("Bad"))], blank=True
    )
    rating_comment = models.TextField(blank=True, max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("conversation")
        verbose_name_plural = _("conversations")

    def __str__(self) -> str:
        return f"{self.widget} {self.public_id}"


class Author(models.TextChoices):
    CUSTOMER = "customer", _("Customer")
    BOT = "bot", _("Bot")
    AGENT = "agent", _("Agent")
    SYSTEM = "system", _("System")


class ConversationMessage(models.Model):
    """One bubble; customer turns keep what the engine matched, for tuning the rules."""

    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="messages"
    )
    author = models.CharField(max_length=16, choices=Author.choices)
    text = models.TextField()
    intent = models.CharField(max_length=100, blank=True)
    score = models.FloatField(null=True, blank=True)
    reason = models.CharField(max_length=200, blank=True)
    step = models.CharField(max_length=200, blank=True)
    payload = models.JSONField(default=dict, blank=True)
    # Agent replies are copied from the ticket once; the unique link makes the copy idempotent.
    ticket_message = models.OneToOneField(
        Message, on_delete=models.SET_NULL, null=True, blank=True, related_name="chat_copy"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["conversation", "id"], name="chat_message_conv_idx")]

    def __str__(self) -> str:
        return f"{self.author}: {self.text[:40]}"
