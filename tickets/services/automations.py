"""Automations and macros: match rules against tickets and apply their actions via services.

Loops are prevented twice over: changes made by an automation never fire triggers (a context
flag), and one automation is applied at most once to one version of a ticket (a unique run
row), so a scheduled rule can never act twice on a ticket nobody touched since.
"""

from __future__ import annotations

import contextvars
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from helpdesk.config_cache import cached_config

from .. import automation as rules
from ..models import (
    OPEN_STATUSES,
    Automation,
    AutomationRun,
    CannedResponse,
    Macro,
    Message,
    Queue,
    Ticket,
    Trigger,
)
from .canned import fill_placeholders

logger = logging.getLogger(__name__)
_applying = contextvars.ContextVar("tickets_automation_applying", default=False)
SCHEDULED_BATCH = 500


@dataclass(frozen=True)
class CompiledRule:
    id: int
    name: str
    trigger: str
    conditions: tuple[rules.Condition, ...]
    actions: tuple[rules.Action, ...]


def compile_rule(automation: Automation) -> CompiledRule:
    """The automation's parsed rule; AutomationSpecError if its specs are malformed."""
    return CompiledRule(
        automation.pk or 0,
        automation.name,
        automation.trigger,
        rules.parse_conditions(automation.conditions),
        rules.parse_actions(automation.actions),
    )


def _compile(automation: Automation) -> CompiledRule | None:
    try:
        return compile_rule(automation)
    except rules.AutomationSpecError as exc:  # saved around the admin's validation
        logger.warning("automation %s skipped: %s", automation.pk, exc)
        return None


def active_rules() -> tuple[CompiledRule, ...]:
    def load() -> tuple[CompiledRule, ...]:
        compiled = (_compile(a) for a in Automation.objects.filter(is_active=True))
        return tuple(rule for rule in compiled if rule is not None)

    return cached_config("automations", load)


def macros_for(ticket: Ticket) -> list[Macro]:
    """Active macros for the ticket's queue (from the per-process cache: no query)."""
    macros = cached_config("macros", lambda: list(Macro.objects.filter(is_active=True)))
    return [m for m in macros if m.queue_id in (None, ticket.queue_id)]


def macro_for(ticket: Ticket, macro_id: int) -> Macro | None:
    """The active macro `macro_id` if it may be used on this ticket (its queue, or any)."""
    return next((m for m in macros_for(ticket) if m.pk == macro_id), None)


def apply_macro(
    ticket: Ticket, macro: Macro, *, actor, expected_version: int | None = None
) -> Ticket:
    """Apply a macro's actions; AutomationSpecError if it was saved around validation."""
    return apply_actions(
        ticket, rules.parse_actions(macro.actions), actor=actor, expected_version=expected_version
    )


def snapshot(ticket: Ticket, *, message: Message | None = None, now: datetime | None = None):
    """The ticket as conditions see it."""
    now = now or timezone.now()
    return {
        "status": ticket.status,
        "priority": ticket.priority,
        "channel": ticket.channel,
        "queue": ticket.queue.slug if ticket.queue_id else None,
        "language": ticket.language,
        "assignee": ticket.assignee_id,
        "subject": ticket.subject,
        "tags": sorted(t.name for t in ticket.tags.all()),
        "body": message.body if message is not None else "",
        "hours_since_updated": (now - ticket.updated_at) / timedelta(hours=1),
        "hours_since_created": (now - ticket.created_at) / timedelta(hours=1),
    }


def run_triggers(trigger: str, ticket: Ticket, *, message: Message | None = None) -> list[int]:
    """Apply the active automations for `trigger` whose conditions hold; ids of those applied."""
    if _applying.get():
        return []  # an automation's own change: no cascade
    candidates = [rule for rule in active_rules() if rule.trigger == trigger]
    if not candidates:
        return []
    applied = []
    fresh = Ticket.objects.select_related("queue").prefetch_related("tags")
    ticket = fresh.get(pk=ticket.pk)
    for rule in candidates:
        if ticket.status not in OPEN_STATUSES and trigger != Trigger.UPDATED:
            break
        if not rules.matches(rule.conditions, snapshot(ticket, message=message)):
            continue
        if _apply_rule(rule, ticket):
            applied.append(rule.id)
        ticket = fresh.get(pk=ticket.pk)  # the next rule sees what this one changed
    return applied


def _apply_rule(rule: CompiledRule, ticket: Ticket) -> bool:
    try:
        with transaction.atomic():
            AutomationRun.objects.create(
                automation_id=rule.id, ticket=ticket, version=ticket.version
            )
            token = _applying.set(True)
            try:
                changed = apply_actions(ticket, rule.actions, actor=None, system=True)
            finally:
                _applying.reset(token)
            if changed.version != ticket.version:
                # Nor to the version it produced: a scheduled rule never re-acts on its own work.
                AutomationRun.objects.get_or_create(
                    automation_id=rule.id, ticket=ticket, version=changed.version
                )
    except IntegrityError:
        return False  # already applied to this version
    except Exception:
        logger.exception("automation %s failed on ticket %s", rule.id, ticket.pk)
        return False
    return True


class _System:
    """The author of automated replies in canned-response placeholders."""

    def get_full_name(self) -> str:
        return settings.SITE_NAME


def _tag_names(action: rules.Action, current: list[str]) -> list[str]:
    from django.utils.text import slugify

    names = [slugify(n, allow_unicode=True)[:50] for n in action.value]
    if action.action == "set_tags":
        return names
    if action.action == "add_tags":
        return sorted({*current, *names})
    return [n for n in current if n not in names]


def apply_actions(
    ticket: Ticket,
    actions,
    *,
    actor,
    system: bool = False,
    expected_version: int | None = None,
) -> Ticket:
    """Apply validated actions in one go: messages first, then the field changes."""
    from .core import TicketError, add_message, update_ticket

    changes: dict[str, Any] = {}
    messages: list[tuple[str, bool]] = []  # (body, is_internal)
    tags = sorted(t.name for t in ticket.tags.all())
    for action in actions:
        name, value = action.action, action.value
        if name in ("set_status", "set_priority"):
            changes[name.removeprefix("set_")] = value
        elif name == "set_queue":
            queue = Queue.objects.filter(slug=value).first()
            if queue is None:
                raise TicketError(f"There is no queue {value!r}.")
            changes["queue"] = queue
        elif name == "set_assignee":
            user = None if value is None else get_user_model().objects.filter(pk=value).first()
            if value is not None and (user is None or not user.is_agent):
                raise TicketError("Tickets can only be assigned to agents.")
            changes["assignee"] = user
        elif name in ("add_tags", "remove_tags", "set_tags"):
            tags = _tag_names(action, tags)
            changes["tags"] = tags
        elif name == "add_note":
            messages.append((value, True))
        elif name == "send_reply":
            messages.append((_canned_text(ticket, value, actor), False))
    for body, is_internal in messages:
        add_message(
            ticket=ticket,
            body=body,
            author_user=actor,
            is_internal=is_internal,
            expected_version=expected_version,
            system=system,
        )
        expected_version = None
    if changes:
        ticket = update_ticket(
            ticket=ticket, actor=actor, expected_version=expected_version, system=system, **changes
        )
    else:
        ticket.refresh_from_db()
    return ticket


def _canned_text(ticket: Ticket, response_id: int, actor) -> str:
    from .core import TicketError

    response = CannedResponse.objects.filter(pk=response_id).first()
    if response is None:
        raise TicketError(f"There is no canned response {response_id}.")
    return fill_placeholders(response.body, ticket=ticket, agent=actor or _System())


# --- scheduled rules ---------------------------------------------------------------------------


def _prefilter(conditions: tuple[rules.Condition, ...], now: datetime) -> Q:
    """The conditions the database can evaluate, so a rule never scans every ticket."""
    q = Q()
    columns = {
        "status": "status",
        "priority": "priority",
        "channel": "channel",
        "queue": "queue__slug",
        "language": "language",
        "assignee": "assignee_id",
    }
    for c in conditions:
        if c.field in columns and c.op in ("is", "in"):
            values = c.value if c.op == "in" else [c.value]
            if c.field == "assignee" and c.value is None:
                q &= Q(assignee__isnull=True)
            else:
                q &= Q(**{f"{columns[c.field]}__in": values})
        elif c.field.startswith("hours_since_"):
            column = "updated_at" if c.field == "hours_since_updated" else "created_at"
            edge = now - timedelta(hours=c.value)
            q &= Q(**{f"{column}__{'lte' if c.op == 'gte' else 'gte'}": edge})
    return q


def scheduled_candidates(rule: CompiledRule, now: datetime) -> QuerySet[Ticket]:
    done = AutomationRun.objects.filter(
        automation_id=rule.id, ticket=OuterRef("pk"), version=OuterRef("version")
    )
    return (
        Ticket.objects.filter(_prefilter(rule.conditions, now))
        .filter(~Exists(done))
        .select_related("queue")
        .prefetch_related("tags")
        .order_by("updated_at", "pk")
    )


def run_scheduled(*, now: datetime | None = None) -> dict[int, int]:
    """Apply every scheduled rule to the tickets that match now: {rule id: tickets changed}."""
    now = now or timezone.now()
    done: dict[int, int] = {}
    for rule in (r for r in active_rules() if r.trigger == Trigger.SCHEDULED):
        count = 0
        for ticket in scheduled_candidates(rule, now)[:SCHEDULED_BATCH]:
            if rules.matches(rule.conditions, snapshot(ticket, now=now)):
                count += _apply_rule(rule, ticket)
        done[rule.id] = count
    return done


def preview(automation: Automation, *, limit: int = 50, now: datetime | None = None) -> list[dict]:
    """A dry run: the tickets the rule would change now (scheduled) or recently (triggers)."""
    now = now or timezone.now()
    rule = compile_rule(automation)
    if rule.trigger == Trigger.SCHEDULED:
        tickets = Ticket.objects.filter(_prefilter(rule.conditions, now)).order_by("updated_at")
    else:
        tickets = Ticket.objects.filter(status__in=OPEN_STATUSES).order_by("-updated_at")
    tickets = tickets.select_related("queue").prefetch_related("tags")[:500]
    matched = [t for t in tickets if rules.matches(rule.conditions, snapshot(t, now=now))]
    return [
        {"ticket": t, "actions": [describe_action(a) for a in rule.actions]}
        for t in matched[:limit]
    ]


def describe_action(action: rules.Action) -> str:
    return f"{action.action.replace('_', ' ')}: {action.value}"
