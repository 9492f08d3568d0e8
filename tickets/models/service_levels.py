"""Business-hours calendars, SLA policies and each ticket's SLA state."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from customers.models import Organisation

from .. import sla as clock
from .core import Channel, Priority, Queue, Ticket

WEEKDAYS = (
    _("Monday"),
    _("Tuesday"),
    _("Wednesday"),
    _("Thursday"),
    _("Friday"),
    _("Saturday"),
    _("Sunday"),
)


def default_week() -> dict[str, list[list[str]]]:
    return {str(day): [["09:00", "17:00"]] for day in range(5)}


class BusinessHours(models.Model):
    """Opening hours in one time zone, with holidays: when SLA clocks run."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    timezone = models.CharField(
        _("time zone"), max_length=64, default="UTC", help_text=_("IANA name: Europe/Helsinki.")
    )
    weekly_hours = models.JSONField(
        _("weekly hours"),
        default=default_week,
        help_text=_(
            'Weekday (0 = Monday) → list of ["HH:MM", "HH:MM"] intervals, e.g. '
            '{"0": [["09:00", "12:00"], ["13:00", "17:00"]]}. "24:00" ends a day.'
        ),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("business hours")
        verbose_name_plural = _("business hours")

    def __str__(self) -> str:
        return f"{self.name} ({self.timezone})"

    def clean(self) -> None:
        try:
            self.to_calendar([])
        except (ValueError, TypeError) as exc:
            raise ValidationError({"weekly_hours": str(exc)}) from exc

    def to_calendar(self, holidays: list[date]) -> clock.BusinessCalendar:
        """The pure calendar the SLA clock computes with."""
        return clock.BusinessCalendar(self.timezone, parse_week(self.weekly_hours), holidays)


def parse_week(value: Any) -> dict[int, list[tuple[str, str]]]:
    """JSON weekly hours (string weekday keys) as the pure calendar's mapping."""
    if not isinstance(value, dict):
        raise ValueError('weekly hours must be an object like {"0": [["09:00", "17:00"]]}')
    week: dict[int, list[tuple[str, str]]] = {}
    for key, intervals in value.items():
        if not str(key).isdigit():
            raise ValueError(f"weekday {key!r} must be a number 0-6 (0 = Monday)")
        if not isinstance(intervals, list) or not all(
            isinstance(i, list | tuple) and len(i) == 2 for i in intervals
        ):
            raise ValueError(f"weekday {key}: give a list of [start, end] pairs")
        week[int(key)] = [(str(start), str(end)) for start, end in intervals]
    return week


class Holiday(models.Model):
    calendar = models.ForeignKey(BusinessHours, on_delete=models.CASCADE, related_name="holidays")
    date = models.DateField(_("date"))
    name = models.CharField(_("name"), max_length=100, blank=True)

    class Meta:
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["calendar", "date"], name="uniq_holiday_per_calendar")
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.name}"


class SlaPolicy(models.Model):
    """Conditions → business-time targets. The first active policy (by position) that matches
    a ticket applies; empty conditions match everything."""

    name = models.CharField(_("name"), max_length=100)
    position = models.PositiveIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("active"), default=True)
    priorities = models.JSONField(
        _("priorities"), default=list, blank=True, help_text=_("Empty: any priority.")
    )
    channels = models.JSONField(
        _("channels"), default=list, blank=True, help_text=_("Empty: any channel.")
    )
    queues = models.ManyToManyField(Queue, blank=True, verbose_name=_("queues"))
    organisations = models.ManyToManyField(
        Organisation, blank=True, verbose_name=_("organisations")
    )
    first_response_minutes = models.PositiveIntegerField(
        _("first response (business minutes)"), null=True, blank=True
    )
    next_response_minutes = models.PositiveIntegerField(
        _("next response (business minutes)"), null=True, blank=True
    )
    resolution_minutes = models.PositiveIntegerField(
        _("resolution (business minutes)"), null=True, blank=True
    )
    warning_percent = models.PositiveSmallIntegerField(
        _("warn when less than this percentage of the time remains"), default=25
    )
    calendar = models.ForeignKey(
        BusinessHours,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        verbose_name=_("business hours"),
        help_text=_("Empty: the ticket's queue's business hours."),
    )
    notify_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("on breach, notify"),
    )
    raise_priority = models.BooleanField(_("on breach, raise the priority"), default=False)
    reassign_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("on breach, reassign to"),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("SLA policy")
        verbose_name_plural = _("SLA policies")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        errors = {}
        if bad := set(self.priorities or []) - set(Priority.values):
            errors["priorities"] = _("Unknown priorities: %s") % ", ".join(sorted(bad))
        if bad := set(self.channels or []) - set(Channel.values):
            errors["channels"] = _("Unknown channels: %s") % ", ".join(sorted(bad))
        if self.warning_percent > 100:
            errors["warning_percent"] = _("A percentage between 0 and 100.")
        if errors:
            raise ValidationError(errors)

    def targets(self) -> clock.SlaTargets:
        def minutes(value: int | None) -> timedelta | None:
            return None if value is None else timedelta(minutes=value)

        return clock.SlaTargets(
            first_response=minutes(self.first_response_minutes),
            next_response=minutes(self.next_response_minutes),
            resolution=minutes(self.resolution_minutes),
            warning_fraction=self.warning_percent / 100,
        )


class SlaStatusChoice(models.TextChoices):
    OK = "ok", _("On track")
    WARNING = "warning", _("Breaching soon")
    BREACHED = "breached", _("Breached")


class TicketSla(models.Model):
    """One ticket's SLA clock: due times, pauses, and which warnings and breaches were sent.

    `next_check_at` is the next instant the minute-by-minute check has anything to do for this
    ticket (a warning or a breach); the check reads only rows whose moment has come.
    """

    ticket = models.OneToOneField(
        Ticket, on_delete=models.CASCADE, primary_key=True, related_name="sla"
    )
    policy = models.ForeignKey(SlaPolicy, on_delete=models.SET_NULL, null=True, blank=True)
    first_response_due = models.DateTimeField(null=True, blank=True)
    next_response_due = models.DateTimeField(null=True, blank=True)
    resolution_due = models.DateTimeField(null=True, blank=True)
    next_due_at = models.DateTimeField(null=True, blank=True)
    next_check_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=16, choices=SlaStatusChoice.choices, blank=True)
    # The customer's oldest message still unanswered after the first response.
    awaiting_reply_since = models.DateTimeField(null=True, blank=True)
    paused_since = models.DateTimeField(null=True, blank=True)
    pauses = models.JSONField(default=list, blank=True)  # closed pauses: [[start, end], ...] ISO
    warned = models.JSONField(default=list, blank=True)  # target names already warned about
    breached = models.JSONField(default=list, blank=True)  # target names already breached
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("ticket SLA")
        verbose_name_plural = _("ticket SLAs")
        indexes = [
            models.Index(
                fields=["next_check_at"],
                condition=Q(next_check_at__isnull=False),
                name="sla_next_check_idx",
            ),
            models.Index(fields=["next_due_at"], name="sla_next_due_idx"),
        ]

    def __str__(self) -> str:
        return f"SLA of ticket {self.ticket_id}"

    @property
    def is_paused(self) -> bool:
        return self.paused_since is not None

    @property
    def is_overdue(self) -> bool:
        return self.next_due_at is not None and self.next_due_at <= timezone.now()
