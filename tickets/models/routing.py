"""Agents as routing sees them: availability, capacity, skills, last assignment."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Availability(models.TextChoices):
    ONLINE = "online", _("Online")
    AWAY = "away", _("Away")
    OFFLINE = "offline", _("Offline")


class AgentStatus(models.Model):
    """One row per agent; its row lock serialises assignments to that agent."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="agent_status",
    )
    availability = models.CharField(
        _("availability"), max_length=16, choices=Availability.choices, default=Availability.OFFLINE
    )
    capacity = models.PositiveSmallIntegerField(
        _("capacity"),
        null=True,
        blank=True,
        help_text=_("Most open tickets routing gives this agent. Empty: no limit."),
    )
    skills = models.JSONField(
        _("skills"),
        default=list,
        blank=True,
        help_text=_('Languages and tags this agent handles, e.g. ["fi", "billing"].'),
    )
    # Set when inactivity (not the agent) made them away: activity brings them back online.
    is_auto_away = models.BooleanField(default=False)
    last_seen_at = models.DateTimeField(null=True, blank=True)
    last_assigned_at = models.DateTimeField(null=True, blank=True)
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("agent status")
        verbose_name_plural = _("agent statuses")
        indexes = [models.Index(fields=["availability", "last_seen_at"], name="agent_avail_idx")]

    def __str__(self) -> str:
        return f"{self.user} ({self.availability})"
