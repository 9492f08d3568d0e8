"""Tickets and everything hung on them: messages, attachments, queues, history, replies."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from customers.models import Contact

REFERENCE_PREFIX = "HD-"


class Status(models.TextChoices):
    NEW = "new", _("New")
    OPEN = "open", _("Open")
    PENDING = "pending", _("Pending (waiting on customer)")
    ON_HOLD = "on_hold", _("On hold")
    SOLVED = "solved", _("Solved")
    CLOSED = "closed", _("Closed")


OPEN_STATUSES = (Status.NEW, Status.OPEN, Status.PENDING, Status.ON_HOLD)


class Priority(models.TextChoices):
    LOW = "low", _("Low")
    NORMAL = "normal", _("Normal")
    HIGH = "high", _("High")
    URGENT = "urgent", _("Urgent")


class Channel(models.TextChoices):
    WEB = "web", _("Web form")
    WIDGET = "widget", _("Chat widget")
    EMAIL = "email", _("Email")
    API = "api", _("API")
    PHONE = "phone", _("Phone")


class RoutingStrategy(models.TextChoices):
    MANUAL = "manual", _("Manual")
    ROUND_ROBIN = "round_robin", _("Round robin")
    LEAST_LOADED = "least_loaded", _("Least loaded (with capacity)")
    SKILL_BASED = "skill_based", _("Skill-based (best match, else anyone)")
    SKILL_BASED_STRICT = "skill_based_strict", _("Skill-based (only full matches)")


class Queue(models.Model):
    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="queues", verbose_name=_("members")
    )
    is_default = models.BooleanField(
        _("default queue"), default=False, help_text=_("New tickets land here unless routed.")
    )
    routing_strategy = models.CharField(
        _("routing"),
        max_length=24,
        choices=RoutingStrategy.choices,
        default=RoutingStrategy.MANUAL,
        help_text=_("How new tickets in this queue are assigned to its members."),
    )
    calendar = models.ForeignKey(
        "tickets.BusinessHours",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="queues",
        verbose_name=_("business hours"),
        help_text=_("SLA clocks run only in these hours. Empty: around the clock (UTC)."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("queue")
        verbose_name_plural = _("queues")

    def __str__(self) -> str:
        return self.name


class Tag(models.Model):
    name = models.SlugField(_("name"), max_length=50, unique=True, allow_unicode=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class TicketQuerySet(models.QuerySet):
    def open(self) -> TicketQuerySet:
        return self.filter(status__in=OPEN_STATUSES)

    def for_reference(self, reference: str) -> TicketQuerySet:
        number = reference.upper().removeprefix(REFERENCE_PREFIX)
        return self.filter(pk=int(number)) if number.isdigit() else self.none()


class Ticket(models.Model):
    subject = models.CharField(_("subject"), max_length=250)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.NEW
    )
    priority = models.CharField(
        _("priority"), max_length=16, choices=Priority.choices, default=Priority.NORMAL
    )
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    queue = models.ForeignKey(
        Queue, on_delete=models.PROTECT, null=True, blank=True, related_name="tickets"
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_tickets",
    )
    requester = models.ForeignKey(Contact, on_delete=models.PROTECT, related_name="tickets")
    tags = models.ManyToManyField(Tag, blank=True, related_name="tickets")
    language = models.CharField(_("language"), max_length=16, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    first_response_at = models.DateTimeField(null=True, blank=True)
    solved_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # Optimistic locking: every change bumps it; a write carrying an older version is refused.
    version = models.PositiveIntegerField(default=1)
    merged_into = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="merged_tickets"
    )
    satisfaction = models.CharField(
        _("satisfaction"),
        max_length=8,
        choices=[("good", _("Good")), ("bad", _("Bad"))],
        blank=True,
    )
    satisfaction_comment = models.TextField(blank=True, max_length=2000)
    rated_at = models.DateTimeField(null=True, blank=True)

    objects = TicketQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at", "-id"]
        verbose_name = _("ticket")
        verbose_name_plural = _("tickets")
        indexes = [
            # The list views: keyset pagination on (updated_at, id) within each filter.
            models.Index(fields=["-updated_at", "-id"], name="ticket_updated_idx"),
            models.Index(fields=["status", "-updated_at", "-id"], name="ticket_status_idx"),
            models.Index(
                fields=["queue", "status", "-updated_at", "-id"], name="ticket_queue_status_idx"
            ),
            models.Index(
                fields=["assignee", "status", "-updated_at", "-id"], name="ticket_assignee_idx"
            ),
            models.Index(fields=["requester", "-created_at"], name="ticket_requester_idx"),
            # Overview counts of open tickets per queue read only this small index.
            models.Index(
                fields=["queue", "status"],
                condition=Q(status__in=["new", "open", "pending", "on_hold"]),
                name="ticket_open_queue_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.subject}"

    def get_absolute_url(self) -> str:
        return reverse("desk-ticket", kwargs={"pk": self.pk})

    @property
    def reference(self) -> str:
        return f"{REFERENCE_PREFIX}{self.pk}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    # Django's get_FOO_display() flattens the field's choices into a new dict on every call
    # (~50 µs here): two per row made a fifth of the desk list's template time.
    def get_status_display(self) -> str:
        return str(_STATUS_LABELS.get(self.status, self.status))

    def get_priority_display(self) -> str:
        return str(_PRIORITY_LABELS.get(self.priority, self.priority))

    def get_channel_display(self) -> str:
        return str(_CHANNEL_LABELS.get(self.channel, self.channel))


_STATUS_LABELS, _PRIORITY_LABELS, _CHANNEL_LABELS = (
    dict(choices.choices) for choices in (Status, Priority, Channel)
)


class MessageKind(models.TextChoices):
    PUBLIC = "public", _("Public reply")
    INTERNAL = "internal", _("Internal note")
    SYSTEM = "system", _("System event")


class MessageQuerySet(models.QuerySet):
    def public(self) -> MessageQuerySet:
        return self.filter(kind=MessageKind.PUBLIC)


class Message(models.Model):
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="messages")
    kind = models.CharField(max_length=16, choices=MessageKind.choices, default=MessageKind.PUBLIC)
    author_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    author_contact = models.ForeignKey(Contact, on_delete=models.SET_NULL, null=True, blank=True)
    body = models.TextField(help_text="What the author wrote (plain text or Markdown).")
    body_html = models.TextField(blank=True, help_text="Sanitised HTML rendered from body.")
    channel = models.CharField(max_length=16, choices=Channel.choices, blank=True)
    # Outbound mail's Message-ID, so replies thread onto this ticket (In-Reply-To/References).
    email_message_id = models.CharField(max_length=255, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = MessageQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["ticket", "created_at"], name="message_ticket_idx")]

    def __str__(self) -> str:
        return f"{self.ticket_id} {self.kind} {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def is_from_customer(self) -> bool:
        return self.author_contact_id is not None and self.author_user_id is None


def attachment_path(instance: Attachment, filename: str) -> str:
    # Generated names only: what the uploader called the file never becomes a path.
    return f"tickets/{instance.ticket_id}/{uuid.uuid4().hex}"


class Attachment(models.Model):
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="attachments")
    message = models.ForeignKey(
        Message, on_delete=models.CASCADE, null=True, blank=True, related_name="attachments"
    )
    file = models.FileField(upload_to=attachment_path, max_length=200)
    filename = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.filename

    def get_absolute_url(self) -> str:
        return reverse("ticket-attachment", kwargs={"pk": self.pk, "filename": self.filename})


class CannedResponse(models.Model):
    """A saved reply; {{ customer.name }}, {{ ticket.reference }}, {{ agent.name }} filled in."""

    title = models.CharField(_("title"), max_length=120)
    body = models.TextField(_("body"))
    language = models.CharField(
        _("language"), max_length=16, choices=settings.LANGUAGES, blank=True
    )
    queue = models.ForeignKey(
        Queue,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        help_text=_("Empty: available in every queue."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )

    class Meta:
        ordering = ["title"]
        verbose_name = _("canned response")
        verbose_name_plural = _("canned responses")

    def __str__(self) -> str:
        return self.title


class TicketChange(models.Model):
    """One entry of a ticket's history: who changed what, from what, to what, when."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="changes")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    actor_contact = models.ForeignKey(Contact, on_delete=models.SET_NULL, null=True, blank=True)
    field = models.CharField(max_length=40)
    old = models.JSONField(null=True, blank=True)
    new = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["ticket", "created_at"], name="change_ticket_idx")]

    def __str__(self) -> str:
        return f"{self.ticket_id} {self.field}: {self.old} → {self.new}"


class TicketLink(models.Model):
    """Two related tickets (stored once, smaller id first)."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="links_out")
    other = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="links_in")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["ticket", "other"], name="uniq_ticket_link"),
            models.CheckConstraint(condition=Q(ticket__lt=models.F("other")), name="link_ordered"),
        ]

    def __str__(self) -> str:
        return f"{self.ticket_id} ↔ {self.other_id}"


class IdempotencyKey(models.Model):
    """A client's retry key: the same key (per client) always yields the same ticket."""

    scope = models.CharField(max_length=100)  # who asked: "user:12", "form:<visitor>", ...
    key = models.CharField(max_length=200)
    request_hash = models.CharField(max_length=64)
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["scope", "key"], name="uniq_idempotency_key")
        ]

    def __str__(self) -> str:
        return f"{self.scope}:{self.key}"


class OutboxStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class Notification(models.Model):
    """An email to send, written in the same transaction as its cause (a durable outbox).

    A task sends it after commit; a periodic sweep resends what is still pending, so a
    broker or SMTP outage delays mail but never loses it, and sending twice is prevented by
    the status check.
    """

    kind = models.CharField(max_length=40)
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="notifications")
    message = models.ForeignKey(Message, on_delete=models.CASCADE, null=True, blank=True)
    recipient_email = models.EmailField()
    recipient_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    language = models.CharField(max_length=16, blank=True)
    status = models.CharField(
        max_length=16, choices=OutboxStatus.choices, default=OutboxStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    email_message_id = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["status", "created_at"], name="outbox_status_idx")]

    def __str__(self) -> str:
        return f"{self.kind} to {self.recipient_email} ({self.status})"
