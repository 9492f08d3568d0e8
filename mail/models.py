"""Email channel data: IMAP mailboxes, every inbound message kept raw, ticket participants."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from customers.models import Contact
from tickets.models import REFERENCE_PREFIX, Message, Ticket


class Mailbox(models.Model):
    """An IMAP mailbox polled by Celery beat (IMAP_URL in the environment adds one more)."""

    name = models.CharField(_("name"), max_length=100)
    host = models.CharField(_("IMAP host"), max_length=255)
    port = models.PositiveIntegerField(_("port"), default=993)
    use_ssl = models.BooleanField(_("use SSL/TLS"), default=True)
    username = models.CharField(_("user name"), max_length=255)
    password = models.CharField(
        _("password"), max_length=255, help_text=_("Prefer an app password with IMAP access only.")
    )
    folder = models.CharField(_("folder"), max_length=255, default="INBOX")
    is_active = models.BooleanField(_("active"), default=True)
    # IMAP UIDs are only meaningful within one UIDVALIDITY; a change means "start over".
    uid_validity = models.BigIntegerField(null=True, blank=True, editable=False)
    last_uid = models.BigIntegerField(default=0, editable=False)
    last_polled_at = models.DateTimeField(null=True, blank=True, editable=False)
    last_error = models.TextField(blank=True, editable=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("mailbox")
        verbose_name_plural = _("mailboxes")

    def __str__(self) -> str:
        return f"{self.name} ({self.username}@{self.host})"


class InboundStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    TICKET_CREATED = "ticket_created", _("Ticket created")
    REPLY_ADDED = "reply_added", _("Reply added")
    IGNORED = "ignored", _("Ignored (automatic mail)")
    FAILED = "failed", _("Failed")


def raw_path(instance: InboundEmail, filename: str) -> str:
    return f"mail/inbound/{uuid.uuid4().hex}.eml"


class InboundEmail(models.Model):
    """One received message, stored raw before it is processed (nothing is ever lost)."""

    # Message-ID, or the SHA-256 of the raw bytes when a message has none: a message
    # delivered twice (IMAP and HTTP, or a retry) is processed once.
    dedupe_key = models.CharField(max_length=255, unique=True)
    rfc_message_id = models.CharField(max_length=255, blank=True, db_index=True)
    source = models.CharField(max_length=16)  # imap, http, command
    mailbox = models.ForeignKey(Mailbox, on_delete=models.SET_NULL, null=True, blank=True)
    raw = models.FileField(upload_to=raw_path, max_length=200)
    size = models.PositiveIntegerField(default=0)
    from_address = models.CharField(max_length=254, blank=True)
    subject = models.CharField(max_length=250, blank=True)
    status = models.CharField(
        max_length=16, choices=InboundStatus.choices, default=InboundStatus.PENDING
    )
    reason = models.TextField(blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    contact = models.ForeignKey(
        Contact, on_delete=models.SET_NULL, null=True, blank=True, related_name="inbound_emails"
    )
    ticket = models.ForeignKey(
        Ticket, on_delete=models.SET_NULL, null=True, blank=True, related_name="inbound_emails"
    )
    message = models.ForeignKey(
        Message, on_delete=models.SET_NULL, null=True, blank=True, related_name="inbound_emails"
    )
    received_at = models.DateTimeField(auto_now_add=True)
    processed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("inbound email")
        verbose_name_plural = _("inbound emails")
        indexes = [models.Index(fields=["status", "received_at"], name="inbound_status_idx")]

    def __str__(self) -> str:
        return f"{self.from_address}: {self.subject}"

    @property
    def ticket_reference(self) -> str | None:
        """The ticket's reference (HD-123) without loading the ticket."""
        return f"{REFERENCE_PREFIX}{self.ticket_id}" if self.ticket_id else None


class TicketParticipant(models.Model):
    """Someone copied on a ticket's mail: their replies join the ticket (as themselves)."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="participants")
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="participations")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["ticket", "contact"], name="uniq_ticket_participant")
        ]

    def __str__(self) -> str:
        return f"{self.contact_id} on {self.ticket_id}"
