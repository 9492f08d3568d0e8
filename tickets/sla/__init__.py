"""Business-hours SLA clocks in pure Python (no Django): calendars, due times, elapsed
business time with pauses, and the status of a ticket's targets."""

from .calendar import ZERO, BusinessCalendar, Pause, TimeSpec
from .clock import (
    add_business_time,
    business_time_between,
    due_at,
    elapsed_business_time,
    is_open,
    next_opening,
    warning_at,
)
from .status import SlaState, SlaStatus, SlaTargets, TargetState, TicketTimes, evaluate_sla

__all__ = [
    "ZERO",
    "BusinessCalendar",
    "Pause",
    "SlaState",
    "SlaStatus",
    "SlaTargets",
    "TargetState",
    "TicketTimes",
    "TimeSpec",
    "add_business_time",
    "business_time_between",
    "due_at",
    "elapsed_business_time",
    "evaluate_sla",
    "is_open",
    "next_opening",
    "warning_at",
]
