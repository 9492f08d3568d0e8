"""Business-hours clock arithmetic: openings, due times, elapsed business time and pauses."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, time, timedelta

from .calendar import (
    DAY,
    ZERO,
    BusinessCalendar,
    Pause,
    _aware,
    _check_duration,
    _day_reaching,
    _day_segments,
    _from_utc,
    _Pause,
    _to_utc,
    _whole_days_total,
)

# --- public clock functions -------------------------------------------------------------------


def is_open(instant: datetime, calendar: BusinessCalendar) -> bool:
    """Whether the calendar is open at `instant` (judged by the local wall clock)."""
    local = _from_utc(_to_utc(instant, "instant"), calendar)
    if local.date() in calendar.holidays:
        return False
    wall = local.replace(tzinfo=None) - datetime.combine(local.date(), time())
    return any(start <= wall < end for start, end in calendar._spans[local.weekday()])


def next_opening(instant: datetime, calendar: BusinessCalendar) -> datetime:
    """The first open instant at or after `instant` (itself if open), in UTC."""
    cursor = _to_utc(instant, "instant")
    day = _from_utc(cursor, calendar).date()
    while True:
        for start, end in _day_segments(calendar, day):
            if end > cursor:
                return _aware(max(start, cursor))
        day += DAY


def add_business_time(start: datetime, duration: timedelta, calendar: BusinessCalendar) -> datetime:
    """The instant at which `duration` of business time has elapsed after `start`.

    The clock starts at the next opening; the result is in UTC. A duration that
    runs out exactly at closing time gives the closing instant, not the next opening; zero gives
    `start` itself.
    """
    cursor = _to_utc(start, "start")
    return _aware(_add_utc(calendar, cursor, _check_duration(duration, "duration")))


def _add_utc(calendar: BusinessCalendar, cursor: datetime, remaining: timedelta) -> datetime:
    if not remaining:
        return cursor
    day = _from_utc(cursor, calendar).date()
    for segment_start, segment_end in _day_segments(calendar, day):
        segment_start = max(segment_start, cursor)
        if segment_start >= segment_end:
            continue
        if remaining <= segment_end - segment_start:
            return segment_start + remaining
        remaining -= segment_end - segment_start
    day, remaining = _day_reaching(calendar, day + DAY, remaining)
    for segment_start, segment_end in _day_segments(calendar, day):
        if remaining <= segment_end - segment_start:
            return segment_start + remaining
        remaining -= segment_end - segment_start
    raise AssertionError("year table and day segments disagree")  # pragma: no cover


def business_time_between(start: datetime, end: datetime, calendar: BusinessCalendar) -> timedelta:
    """Business time elapsed in [start, end); zero when `end` is not after `start`."""
    low, high = _to_utc(start, "start"), _to_utc(end, "end")
    return _between_utc(calendar, low, high) if high > low else ZERO


def _between_utc(calendar: BusinessCalendar, low: datetime, high: datetime) -> timedelta:
    first_day = _from_utc(low, calendar).date()
    last_day = _from_utc(high, calendar).date()
    total = _whole_days_total(calendar, first_day + DAY, last_day)
    # Only the first and last local days can be cut by the range.
    for day in {first_day, last_day}:
        for segment_start, segment_end in _day_segments(calendar, day):
            overlap = min(segment_end, high) - max(segment_start, low)
            if overlap > ZERO:
                total += overlap
    return total


# --- pauses -----------------------------------------------------------------------------------


def _merge_pauses(pauses: Iterable[Pause]) -> list[_Pause]:
    """Pauses as sorted, disjoint naive UTC ranges, so overlaps are not subtracted twice."""
    ranges: list[_Pause] = []
    for index, (begin, finish) in enumerate(pauses):
        low = _to_utc(begin, f"pauses[{index}] start")
        high = None if finish is None else _to_utc(finish, f"pauses[{index}] end")
        if high is not None and high < low:
            raise ValueError(f"pauses[{index}] ends before it starts")
        ranges.append((low, high))
    ranges.sort(key=lambda pause: pause[0])
    merged: list[_Pause] = []
    for low, high in ranges:
        if merged and (merged[-1][1] is None or low <= merged[-1][1]):
            previous_low, previous_high = merged[-1]
            if previous_high is None or high is None:
                merged[-1] = (previous_low, None)
            else:
                merged[-1] = (previous_low, max(previous_high, high))
        else:
            merged.append((low, high))
    return merged


def elapsed_business_time(
    start: datetime, now: datetime, calendar: BusinessCalendar, pauses: Iterable[Pause] = ()
) -> timedelta:
    """Business time in [start, now) minus the part spent paused; an open pause ends at `now`."""
    low, high = _to_utc(start, "start"), _to_utc(now, "now")
    return _elapsed_utc(calendar, low, high, _merge_pauses(pauses))


def _elapsed_utc(
    calendar: BusinessCalendar, low: datetime, high: datetime, merged: list[_Pause]
) -> timedelta:
    if high <= low:
        return ZERO
    total = _between_utc(calendar, low, high)
    for pause_low, pause_high in merged:
        pause_low = max(pause_low, low)
        pause_high = high if pause_high is None else min(pause_high, high)
        if pause_low < pause_high:
            total -= _between_utc(calendar, pause_low, pause_high)
    return total


def due_at(
    start: datetime, target: timedelta, calendar: BusinessCalendar, pauses: Iterable[Pause] = ()
) -> datetime | None:
    """When `target` business time will have run, pushed back by paused business time.

    None while an open-ended pause (no end yet) holds the clock before the target is reached:
    the due time is unknown until the ticket resumes.
    """
    cursor = _to_utc(start, "start")
    remaining = _check_duration(target, "target")
    due = _due_utc(calendar, cursor, remaining, _merge_pauses(pauses))
    return None if due is None else _aware(due)


def _due_utc(
    calendar: BusinessCalendar, cursor: datetime, remaining: timedelta, merged: list[_Pause]
) -> datetime | None:
    for pause_low, pause_high in merged:
        if pause_high is not None and pause_high <= cursor:
            continue
        if pause_low > cursor:
            candidate = _add_utc(calendar, cursor, remaining)
            if candidate <= pause_low:
                return candidate
            remaining -= _between_utc(calendar, cursor, pause_low)
        if pause_high is None:
            return None
        cursor = pause_high
    return _add_utc(calendar, cursor, remaining)


def warning_at(
    start: datetime, target: timedelta, calendar: BusinessCalendar, pauses: Iterable[Pause] = (),
    *, fraction: float = 0.25, threshold: timedelta = ZERO,
) -> datetime | None:  # fmt: skip
    """When the business time left on `target` drops to the warning window (the larger of
    `fraction` of the target and `threshold`); None while an open pause holds the clock."""
    window = max(target * fraction, _check_duration(threshold, "threshold"))
    return due_at(start, max(target - window, ZERO), calendar, pauses)
