"""Chat widgets, their conversations and every message exchanged in them."""

from __future__ import annotations

import secrets
import uuid
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from customers.models import Contact
from tickets.models import Message, Ticket
from tickets.sla import BusinessCalendar

from .bot_models import (  # noqa: F401 - one models module for Django and for imports
    ANY_LANGUAGE,
    Bot,
    Flow,
    FlowStep,
    Intent,
    IntentPhrase,
    PhraseKind,
    StepOption,
    Synonym,
)


def new_public_key() -> str:
    return secrets.token_urlsafe(18)


def new_identity_secret() -> str:
    return secrets.token_hex(32)


def business_hours_errors(value: Any) -> list[str]:
    """What is wrong with a weekday ("0" Monday .. "6") -> [["HH:MM", "HH:MM"], ...] mapping."""
    if not isinstance(value, dict):
        return [str(_('Business hours map a weekday "0" (Monday) to "6" to a list of intervals.'))]
    problems = []
    for day, intervals in value.items():
        if str(day) not in {"0", "1", "2", "3", "4", "5", "6"}:
            problems.append(
                str(_('Unknown weekday “%(day)s”: use "0" (Monday) to "6" (Sunday).'))
                % {"day": day}
            )
            continue
        shaped = isinstance(intervals, list) and all(
            isinstance(i, list | tuple) and len(i) == 2 and all(isinstance(t, str) for t in i)
            for i in intervals
        )
        if not shaped:
            problems.append(
                str(_('Weekday %(day)s: give a list of ["HH:MM", "HH:MM"] intervals.'))
                % {"day": day}
            )
            continue
        try:
            BusinessCalendar("UTC", {0: [tuple(i) for i in intervals]})
        except ValueError as exc:
            if intervals:  # an empty day alone is "no open interval", which is fine here
                problems.append(str(_("Weekday %(day)s: %(error)s")) % {"day": day, "error": exc})
    return problems


def holiday_dates(value: Any) -> list[date]:
    """ISO dates ("2024-12-06") as dates; ValueError names the first bad entry."""
    if not isinstance(value, list):
        raise ValueError(str(_('Holidays are a list of ISO dates such as "2024-12-06".')))
    days = []
    for item in value:
        try:
            days.append(date.fromisoformat(item))
        except (TypeError, ValueError) as exc:
            raise ValueError(
                str(_("“%(value)s” is not an ISO date (YYYY-MM-DD).")) % {"value": item}
            ) from exc
    return days


def build_calendar(time_zone: str, business_hours: Any, holidays: Any) -> BusinessCalendar | None:
    """A calendar from the widget fields; None when there are no hours (always open).

    Raises ValueError (or TypeError) for values that `Widget.clean()` would refuse.
    """
    if not business_hours:
        return None
    hours = {int(day): [tuple(i) for i in spans] for day, spans in business_hours.items()}
    return BusinessCalendar(time_zone or "UTC", hours, holiday_dates(holidays or []))


def time_zone_error(name: Any) -> str | None:
    if not isinstance(name, str) or not name.strip():
        return str(_("Give an IANA time zone such as “Europe/Helsinki”."))
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return str(
            _("Unknown time zone “%(zone)s”; use an IANA name such as “Europe/Helsinki”.")
        ) % {"zone": name}
    return None


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
    bot = models.ForeignKey(
        Bot, on_delete=models.PROTECT, null=True, blank=True, related_name="widgets",
        verbose_name=_("bot"),
    )  # fmt: skip
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        default="UTC",
        help_text=_("IANA time zone of the business hours, e.g. “Europe/Helsinki”."),
    )
    business_hours = models.JSONField(
        _("business hours"),
        default=dict,
        blank=True,
        help_text=_(
            'When people answer the chat: weekday "0" (Monday) to "6" mapped to '
            '[["HH:MM", "HH:MM"], ...]. Empty means always open.'
        ),
    )
    holidays = models.JSONField(
        _("holidays"),
        default=list,
        blank=True,
        help_text=_('Whole days closed, as ISO dates: ["2024-12-06", ...].'),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("chat widget")
        verbose_name_plural = _("chat widgets")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        errors: dict[str, list[str]] = {}
        zone_problem = time_zone_error(self.time_zone)
        if zone_problem:
            errors["time_zone"] = [zone_problem]
        hours_problems = business_hours_errors(self.business_hours or {})
        if hours_problems:
            errors["business_hours"] = hours_problems
        elif self.business_hours and not any(self.business_hours.values()):
            errors["business_hours"] = [
                str(_("Give at least one open interval, or leave empty for always open."))
            ]
        try:
            holiday_dates(self.holidays or [])
        except ValueError as exc:
            errors["holidays"] = [str(exc)]
        if errors:
            raise ValidationError(errors)

    def business_calendar(self) -> BusinessCalendar | None:
        """The widget's opening hours; None when it has none (always open). ValueError if bad."""
        return build_calendar(self.time_zone, self.business_hours, self.holidays)

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
    # Set once by the periodic sweep (chatbot.tasks); a visitor coming back does not clear it.
    abandoned_at = models.DateTimeField(null=True, blank=True)
    articles_opened = models.JSONField(default=list, blank=True)
    rating = models.CharField(
        max_length=8, choices=[("good", _("Good")), ("bad", _("Bad"))], blank=True
    )
    rating_comment = models.TextField(blank=True, max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "updated_at"], name="chat_conv_status_updated_idx")
        ]
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
