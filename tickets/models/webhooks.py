"""Webhook subscriptions to ticket events and the log of every delivery attempt."""

from __future__ import annotations

import secrets
import uuid

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

WEBHOOK_EVENTS = (
    "ticket.created",
    "ticket.updated",
    "ticket.assigned",
    "ticket.customer_replied",
    "ticket.agent_replied",
    "ticket.solved",
    "sla.warning",
    "sla.breached",
)


def new_secret() -> str:
    return secrets.token_urlsafe(32)


class Webhook(models.Model):
    name = models.CharField(_("name"), max_length=120)
    url = models.URLField(_("URL"), max_length=500, help_text=_("Public http(s) address only."))
    secret = models.CharField(
        _("signing secret"),
        max_length=100,
        default=new_secret,
        help_text=_("HMAC-SHA256 key; receivers verify the X-Helpdesk-Signature header."),
    )
    events = models.JSONField(
        _("events"), default=list, help_text=_('Event names, or ["*"] for all of them.')
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("webhook")
        verbose_name_plural = _("webhooks")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        from ..webhooks import UnsafeTarget, check_target

        errors = {}
        events = self.events if isinstance(self.events, list) else None
        if events is None or not events:
            errors["events"] = _("Choose at least one event.")
        elif bad := set(events) - {*WEBHOOK_EVENTS, "*"}:
            errors["events"] = _("Unknown events: %s") % ", ".join(sorted(map(str, bad)))
        try:
            check_target(self.url)
        except UnsafeTarget as exc:
            errors["url"] = str(exc)
        if errors:
            raise ValidationError(errors)

    def wants(self, event: str) -> bool:
        return "*" in self.events or event in self.events


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    DELIVERED = "delivered", _("Delivered")
    FAILED = "failed", _("Failed")


class WebhookDelivery(models.Model):
    webhook = models.ForeignKey(Webhook, on_delete=models.CASCADE, related_name="deliveries")
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    event = models.CharField(max_length=40)
    payload = models.JSONField()
    status = models.CharField(
        max_length=16, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="webhook_due_idx")]

    def __str__(self) -> str:
        return f"{self.event} → {self.webhook_id} ({self.status})"
