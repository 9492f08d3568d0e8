"""Per-ticket SLA state: choose the policy, compute due times, pause while pending.

Due times are computed in Python (tickets/sla.py) from policies and calendars cached per
process (helpdesk/config_cache.py), so a ticket write costs one SLA query, not a loop.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone
from django.utils.dateparse import parse_datetime

from helpdesk.config_cache import cached_config

from .. import sla as clock
from ..models import (
    OPEN_STATUSES,
    BusinessHours,
    Holiday,
    Queue,
    SlaPolicy,
    SlaStatusChoice,
    Status,
    Ticket,
    TicketSla,
)

logger = logging.getLogger(__name__)
# The clock stops while the ticket waits on the customer; a solved ticket that reopens does
# not count its solved days either.
PAUSED_STATUSES = frozenset({Status.PENDING, Status.SOLVED})
TARGETS = ("first_response", "next_response", "resolution")


@dataclass(frozen=True)
class PolicyRule:
    """A policy as the hot path needs it: conditions, targets, calendar id, escalation."""

    id: int
    priorities: frozenset[str]
    channels: frozenset[str]
    queue_ids: frozenset[int]
    organisation_ids: frozenset[int]
    targets: clock.SlaTargets
    calendar_id: int | None
    notify_user_id: int | None
    raise_priority: bool
    reassign_to_id: int | None

    def matches(self, ticket: Ticket, organisation_id: int | None) -> bool:
        return (
            (not self.priorities or ticket.priority in self.priorities)
            and (not self.channels or ticket.channel in self.channels)
            and (not self.queue_ids or ticket.queue_id in self.queue_ids)
            and (not self.organisation_ids or organisation_id in self.organisation_ids)
        )


@dataclass(frozen=True)
class SlaConfig:
    policies: tuple[PolicyRule, ...]
    calendars: dict[int, clock.BusinessCalendar]
    queue_calendars: dict[int, int]
    fallback: clock.BusinessCalendar = field(default_factory=clock.BusinessCalendar.always_open)

    def calendar_for(self, ticket: Ticket, policy: PolicyRule | None) -> clock.BusinessCalendar:
        calendar_id = policy.calendar_id if policy and policy.calendar_id else None
        calendar_id = calendar_id or self.queue_calendars.get(ticket.queue_id or 0)
        return self.calendars.get(calendar_id or 0, self.fallback)

    def policy(self, policy_id: int | None) -> PolicyRule | None:
        return next((p for p in self.policies if p.id == policy_id), None)

    def policy_for(self, ticket: Ticket, organisation_id: int | None) -> PolicyRule | None:
        """The first active policy (in position order) whose conditions the ticket meets."""
        return next((p for p in self.policies if p.matches(ticket, organisation_id)), None)


def _load_config() -> SlaConfig:
    holidays: dict[int, list] = {}
    for calendar_id, day in Holiday.objects.values_list("calendar_id", "date"):
        holidays.setdefault(calendar_id, []).append(day)
    calendars = {}
    for hours in BusinessHours.objects.all():
        try:
            calendars[hours.pk] = hours.to_calendar(holidays.get(hours.pk, []))
        except (ValueError, TypeError) as exc:  # saved around validation: never block tickets
            logger.error("business hours %s are invalid (%s); using 24/7 instead", hours.pk, exc)
    policies = []
    for p in SlaPolicy.objects.filter(is_active=True).prefetch_related("queues", "organisations"):
        policies.append(
            PolicyRule(
                id=p.pk,
                priorities=frozenset(p.priorities or ()),
                channels=frozenset(p.channels or ()),
                queue_ids=frozenset(q.pk for q in p.queues.all()),
                organisation_ids=frozenset(o.pk for o in p.organisations.all()),
                targets=p.targets(),
                calendar_id=p.calendar_id,
                notify_user_id=p.notify_user_id,
                raise_priority=p.raise_priority,
                reassign_to_id=p.reassign_to_id,
            )
        )
    queue_calendars = dict(
        Queue.objects.filter(calendar__isnull=False).values_list("pk", "calendar_id")
    )
    return SlaConfig(tuple(policies), calendars, queue_calendars)


def sla_config() -> SlaConfig:
    return cached_config("sla", _load_config)


def _parse(value: str) -> datetime:
    parsed = parse_datetime(value)
    if parsed is None:
        raise ValueError(f"bad pause timestamp {value!r}")
    return parsed


def _pauses(state: TicketSla) -> tuple[clock.Pause, ...]:
    closed = tuple((_parse(start), _parse(end)) for start, end in state.pauses or ())
    return closed + (((state.paused_since, None),) if state.paused_since else ())


def times_of(ticket: Ticket, state: TicketSla) -> clock.TicketTimes:
    resolved = ticket.solved_at or ticket.closed_at if ticket.status not in OPEN_STATUSES else None
    return clock.TicketTimes(
        created_at=ticket.created_at,
        first_response_at=ticket.first_response_at,
        awaiting_reply_since=state.awaiting_reply_since if ticket.first_response_at else None,
        resolved_at=resolved,
        pauses=_pauses(state),
    )


@dataclass(frozen=True)
class Deadline:
    """One unmet target: when it warns and when it breaches (None while paused)."""

    name: str
    warn_at: datetime | None
    due_at: datetime | None


def deadlines(
    ticket: Ticket,
    state: TicketSla,
    policy: PolicyRule,
    calendar: clock.BusinessCalendar,
    now: datetime,
) -> tuple[clock.SlaState, list[Deadline]]:
    """The clock's view of the ticket at `now`, and the unmet targets' warning/due instants."""
    times = times_of(ticket, state)
    result = clock.evaluate_sla(targets=policy.targets, times=times, calendar=calendar, now=now)
    starts = {
        "first_response": times.created_at,
        "next_response": times.awaiting_reply_since,
        "resolution": times.created_at,
    }
    pending = []
    for name in TARGETS:
        target_state = getattr(result, name)
        if target_state is None or target_state.is_met:
            continue
        target: timedelta = getattr(policy.targets, name)
        warn_at = clock.warning_at(
            starts[name],
            target,
            calendar,
            times.pauses,
            fraction=policy.targets.warning_fraction,
            threshold=policy.targets.warning_threshold,
        )
        pending.append(Deadline(name, warn_at, target_state.due_at))
    return result, pending


def compute_state(
    ticket: Ticket,
    state: TicketSla,
    config: SlaConfig,
    now: datetime,
    computed: tuple[clock.SlaState, list[Deadline]] | None = None,
) -> None:
    """Fill the state's due times, status and next check instant (no query); `computed` is
    `deadlines()`'s result for the same inputs, when the caller already has it."""
    policy = config.policy(state.policy_id)
    state.first_response_due = state.next_response_due = state.resolution_due = None
    state.next_due_at = state.next_check_at = None
    state.status = ""
    if policy is None or ticket.status not in OPEN_STATUSES:
        return
    result, pending = computed or deadlines(
        ticket, state, policy, config.calendar_for(ticket, policy), now
    )
    for deadline in pending:  # met targets keep no due time: nothing is due any more
        setattr(state, f"{deadline.name}_due", deadline.due_at)
    dues = [d.due_at for d in pending if d.due_at is not None]
    state.next_due_at = min(dues, default=None)
    checks = [d.warn_at for d in pending if d.warn_at and d.name not in state.warned]
    checks += [d.due_at for d in pending if d.due_at and d.name not in state.breached]
    state.next_check_at = min(checks, default=None)
    worst = result.worst_status
    if worst == clock.SlaStatus.OK and any(d.warn_at and d.warn_at <= now for d in pending):
        worst = clock.SlaStatus.WARNING  # the check warns at the boundary instant itself
    state.status = SlaStatusChoice(worst.value) if worst else ""


def start_sla(ticket: Ticket, organisation_id: int | None) -> TicketSla:
    """The new ticket's SLA row (one INSERT; the policy comes from the cache)."""
    config = sla_config()
    policy = config.policy_for(ticket, organisation_id)
    state = TicketSla(ticket=ticket, policy_id=policy.id if policy else None)
    compute_state(ticket, state, config, timezone.now())
    state.save(force_insert=True)
    ticket._state.fields_cache["sla"] = state
    return state


def sync_sla(
    ticket: Ticket,
    *,
    previous_status: str,
    reselect: bool = False,
    customer_wrote_at: datetime | None = None,
    agent_replied: bool = False,
) -> TicketSla | None:
    """Bring the SLA state in line after a change to `ticket` (already saved and locked)."""
    state = TicketSla.objects.select_for_update().filter(ticket=ticket).first()
    if state is None:
        return None
    now = timezone.now()
    _track_pause(state, previous_status, ticket.status, now)
    if agent_replied:
        state.awaiting_reply_since = None
    elif customer_wrote_at and ticket.first_response_at and state.awaiting_reply_since is None:
        state.awaiting_reply_since = customer_wrote_at
        _forget(state, "next_response")  # a new next-response clock: warn and breach afresh
    config = sla_config()
    if reselect:
        policy = config.policy_for(ticket, ticket.requester.organisation_id)
        if (policy.id if policy else None) != state.policy_id:
            state.policy_id = policy.id if policy else None
            state.warned, state.breached = [], []
    compute_state(ticket, state, config, now)
    state.save()
    ticket._state.fields_cache["sla"] = state
    return state


def _track_pause(state: TicketSla, old: str, new: str, now: datetime) -> None:
    was, is_ = old in PAUSED_STATUSES, new in PAUSED_STATUSES
    if is_ and not state.paused_since:
        state.paused_since = now
    elif was and not is_ and state.paused_since:
        state.pauses = [*state.pauses, [state.paused_since.isoformat(), now.isoformat()]]
        state.paused_since = None


def _forget(state: TicketSla, name: str) -> None:
    state.warned = [n for n in state.warned if n != name]
    state.breached = [n for n in state.breached if n != name]


def describe(state: TicketSla | None, now: datetime | None = None) -> dict[str, Any] | None:
    """The SLA state as the API and the desk show it."""
    if state is None or state.policy_id is None:
        return None
    now = now or timezone.now()
    targets = {}
    for name in TARGETS:
        due = getattr(state, f"{name}_due")
        targets[name] = (
            None
            if due is None
            else {
                "due_at": due,
                "seconds_left": int((due - now).total_seconds()),
                "is_breached": name in state.breached or due <= now,
            }
        )
    return {
        "policy": state.policy_id,
        "status": state.status or None,
        "next_due_at": state.next_due_at,
        "is_paused": state.is_paused,
        "targets": targets,
    }
