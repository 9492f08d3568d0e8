"""SLA state of one ticket: due time, remaining business time and status of each target."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from .calendar import ZERO, BusinessCalendar, Pause, _aware, _check_duration, _Pause, _to_utc
from .clock import _due_utc, _elapsed_utc, _merge_pauses

# --- SLA state --------------------------------------------------------------------------------


class SlaStatus(StrEnum):
    OK = "ok"
    WARNING = "warning"
    BREACHED = "breached"


@dataclass(frozen=True)
class SlaTargets:
    """Business-time targets; None means the policy has no such target."""

    first_response: timedelta | None = None
    next_response: timedelta | None = None
    resolution: timedelta | None = None
    # Warn when less than this share of the target (or this much time, if larger) remains.
    warning_fraction: float = 0.25
    warning_threshold: timedelta = ZERO

    def __post_init__(self) -> None:
        if not 0 <= self.warning_fraction <= 1:
            raise ValueError("warning_fraction must be between 0 and 1")
        for name in ("first_response", "next_response", "resolution", "warning_threshold"):
            value = getattr(self, name)
            if value is not None:
                _check_duration(value, name)


@dataclass(frozen=True)
class TicketTimes:
    """The timestamps an SLA clock needs; `awaiting_reply_since` is the customer's oldest
    unanswered message after the first response (None when the agent spoke last)."""

    created_at: datetime
    first_response_at: datetime | None = None
    awaiting_reply_since: datetime | None = None
    resolved_at: datetime | None = None
    pauses: tuple[Pause, ...] = ()


@dataclass(frozen=True)
class TargetState:
    due_at: datetime | None  # UTC; None while an open-ended pause stops the clock
    remaining: timedelta  # business time left; negative once breached
    status: SlaStatus
    is_met: bool
    is_paused: bool


@dataclass(frozen=True)
class SlaState:
    first_response: TargetState | None
    next_response: TargetState | None
    resolution: TargetState | None

    @property
    def worst_status(self) -> SlaStatus | None:
        """The most urgent status among the targets that apply (for list badges)."""
        order = [SlaStatus.OK, SlaStatus.WARNING, SlaStatus.BREACHED]
        states = [s for s in (self.first_response, self.next_response, self.resolution) if s]
        return max((state.status for state in states), key=order.index, default=None)


def evaluate_sla(
    *, targets: SlaTargets, times: TicketTimes, calendar: BusinessCalendar, now: datetime
) -> SlaState:
    """Due time, remaining business time and status of each target at `now`.

    The same pauses stop every clock. A met target is `ok` or `breached`, never `warning`.
    """
    clock = _Clock(calendar, targets, _merge_pauses(times.pauses), _to_utc(now, "now"))

    def utc(value: datetime | None, name: str) -> datetime | None:
        return None if value is None else _to_utc(value, name)

    created = _to_utc(times.created_at, "created_at")
    return SlaState(
        first_response=clock.state(
            created, utc(times.first_response_at, "first_response_at"), targets.first_response
        ),
        next_response=clock.state(
            utc(times.awaiting_reply_since, "awaiting_reply_since"), None, targets.next_response
        ),
        resolution=clock.state(created, utc(times.resolved_at, "resolved_at"), targets.resolution),
    )


@dataclass(frozen=True)
class _Clock:
    """One ticket's inputs in naive UTC, converted once for its three targets."""

    calendar: BusinessCalendar
    targets: SlaTargets
    pauses: list[_Pause]
    now: datetime

    def state(
        self, start: datetime | None, finish: datetime | None, target: timedelta | None
    ) -> TargetState | None:
        if start is None or target is None:
            return None
        is_met = finish is not None
        end = finish if finish is not None else self.now
        remaining = target - _elapsed_utc(self.calendar, start, end, self.pauses)
        is_paused = not is_met and any(
            low <= self.now and (high is None or self.now < high) for low, high in self.pauses
        )
        window = max(target * self.targets.warning_fraction, self.targets.warning_threshold)
        if remaining < ZERO or (remaining == ZERO and not is_met):
            status = SlaStatus.BREACHED
        elif not is_met and remaining < window:
            status = SlaStatus.WARNING
        else:
            status = SlaStatus.OK
        due = _due_utc(self.calendar, start, target, self.pauses)
        return TargetState(
            None if due is None else _aware(due), remaining, status, is_met, is_paused
        )
