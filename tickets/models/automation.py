"""Automations (trigger and scheduled rules), their run log, and agents' macros."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from .core import Queue, Ticket


class Trigger(models.TextChoices):
    CREATED = "created", _("Ticket created")
    UPDATED = "updated", _("Ticket updated")
    CUSTOMER_REPLIED = "customer_replied", _("Customer replied")
    SCHEDULED = "scheduled", _("Scheduled (checked every few minutes)")


def _validate(conditions, actions) -> None:
    from ..automation import AutomationSpecError, parse_actions, parse_conditions

    errors = {}
    for name, parse, value in (
        ("conditions", parse_conditions, conditions),
        ("actions", parse_actions, actions),
    ):
        try:
            parse(value)
        except AutomationSpecError as exc:
            errors[name] = str(exc)
    if errors:
        raise ValidationError(errors)


class Automation(models.Model):
    """When `trigger` happens and every condition holds, apply the actions in order."""

    name = models.CharField(_("name"), max_length=120)
    is_active = models.BooleanField(_("active"), default=True)
    position = models.PositiveIntegerField(_("position"), default=0)
    trigger = models.CharField(_("trigger"), max_length=24, choices=Trigger.choices)
    conditions = models.JSONField(
        _("conditions"),
        default=list,
        blank=True,
        help_text=_(
            'All must hold. e.g. [{"field": "status", "op": "is", "value": "solved"}, '
            '{"field": "hours_since_updated", "op": "gte", "value": 72}]'
        ),
    )
    actions = models.JSONField(
        _("actions"),
        default=list,
        help_text=_('In order. e.g. [{"action": "set_status", "value": "closed"}]'),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("automation")
        verbose_name_plural = _("automations")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        _validate(self.conditions, self.actions)


class AutomationRun(models.Model):
    """An automation applied to one version of a ticket: never twice to the same version."""

    automation = models.ForeignKey(Automation, on_delete=models.CASCADE, related_name="runs")
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="automation_runs")
    version = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["automation", "ticket", "version"], name="uniq_automation_run"
            )
        ]

    def __str__(self) -> str:
        return f"{self.automation_id} on {self.ticket_id} v{self.version}"


class Macro(models.Model):
    """Several actions an agent applies in one click."""

    name = models.CharField(_("name"), max_length=120)
    is_active = models.BooleanField(_("active"), default=True)
    queue = models.ForeignKey(
        Queue,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        help_text=_("Empty: available in every queue."),
    )
    actions = models.JSONField(
        _("actions"), default=list, help_text=_('e.g. [{"action": "add_tags", "value": ["vip"]}]')
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("macro")
        verbose_name_plural = _("macros")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        _validate([], self.actions)
