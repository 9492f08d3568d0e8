"""Business calendars: opening hours in a time zone, holidays, and the day tables behind
the clock (pure Python, no Django)."""

from __future__ import annotations

import bisect
import functools
import itertools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

ZERO = timedelta(0)
DAY = timedelta(days=1)
# Bounds the per-calendar day cache; a sweep over 100k tickets touches a few hundred days.
_CACHE_LIMIT = 8192

TimeSpec = time | str
Pause = tuple[datetime, datetime | None]
_Span = tuple[timedelta, timedelta]  # offsets from local midnight, end may be 24:00
_Segment = tuple[datetime, datetime]  # naive UTC [start, end)
_Regime = tuple[timedelta, datetime, datetime]  # UTC offset and the naive UTC range it holds for
_Pause = tuple[datetime, datetime | None]  # naive UTC, None = still paused


@dataclass(frozen=True)
class BusinessCalendar:
    """Opening hours in one IANA time zone; whole local days in `holidays` are closed.

    `weekly_hours` maps weekday (0 = Monday) to `(start, end)` wall-clock intervals, given as
    `time` or "HH:MM"; an end of `time(0)` or "24:00" means midnight at the end of the day. After
    construction it is normalised to a 7-tuple of sorted `(time, time)` tuples, so calendars hash.
    """

    timezone: str
    weekly_hours: Mapping[int, Sequence[tuple[TimeSpec, TimeSpec]]] | Sequence[Any]
    holidays: Iterable[date] = frozenset()
    _zone: ZoneInfo = field(init=False, repr=False, compare=False)
    _spans: tuple[tuple[_Span, ...], ...] = field(init=False, repr=False, compare=False)
    _day_totals: tuple[timedelta, ...] = field(init=False, repr=False, compare=False)
    _days: dict[date, tuple[_Segment, ...]] = field(init=False, repr=False, compare=False)
    _hash: int = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        try:
            zone = ZoneInfo(self.timezone)
        except (ZoneInfoNotFoundError, ValueError, TypeError) as exc:
            raise ValueError(f"unknown IANA time zone {self.timezone!r}") from exc
        spans = _normalise_week(self.weekly_hours)
        if not any(spans):
            # Every search for an opening would loop forever.
            raise ValueError("a business calendar needs at least one open interval per week")
        holidays = frozenset(self.holidays)
        canonical = tuple(tuple((_as_time(s), _as_time(e)) for s, e in day) for day in spans)
        set_ = object.__setattr__
        set_(self, "weekly_hours", canonical)
        set_(self, "holidays", holidays)
        set_(self, "_zone", zone)
        set_(self, "_spans", spans)
        set_(self, "_day_totals", tuple(sum((e - s for s, e in day), ZERO) for day in spans))
        set_(self, "_days", {})
        set_(self, "_hash", hash((self.timezone, canonical, holidays)))

    def __hash__(self) -> int:
        # Hashed on every year-table lookup, so computed once.
        return self._hash

    def __reduce__(self) -> tuple[type[BusinessCalendar], tuple[Any, ...]]:
        # String hashes differ between processes (Celery workers): rebuild rather than copy.
        return (type(self), (self.timezone, self.weekly_hours, self.holidays))

    def to_local(self, instant: datetime) -> datetime:
        """`instant` on this calendar's wall clock, for display ("Monday 08:00")."""
        return _to_utc(instant, "instant").replace(tzinfo=UTC).astimezone(self._zone)

    @classmethod
    def always_open(cls, timezone: str = "UTC") -> BusinessCalendar:
        """A 24/7 calendar."""
        return cls(timezone, {day: [("00:00", "24:00")] for day in range(7)})

    @classmethod
    def weekdays(
        cls, timezone: str, start: TimeSpec, end: TimeSpec, holidays: Iterable[date] = ()
    ) -> BusinessCalendar:
        """Monday to Friday, the same hours every day."""
        return cls(timezone, {day: [(start, end)] for day in range(5)}, frozenset(holidays))


def _parse_time(value: TimeSpec, *, is_end: bool) -> timedelta:
    """Return a wall-clock time as an offset from midnight; an end of 00:00 means 24:00."""
    if isinstance(value, str):
        hours, _, minutes = value.partition(":")
        if not (hours.isdigit() and minutes.isdigit() and len(minutes) == 2 and int(minutes) < 60):
            raise ValueError(f"business hours must look like 'HH:MM', got {value!r}")
        offset = timedelta(hours=int(hours), minutes=int(minutes))
    elif isinstance(value, time):
        if value.tzinfo is not None:
            raise ValueError("business hours are local wall-clock times; drop the tzinfo")
        offset = timedelta(
            hours=value.hour,
            minutes=value.minute,
            seconds=value.second,
            microseconds=value.microsecond,
        )
    else:
        raise TypeError(f"business hours must be datetime.time or 'HH:MM', got {value!r}")
    if is_end and offset == ZERO:
        offset = DAY
    if offset > DAY or (offset == DAY and not is_end):
        raise ValueError(f"{value!r} is not a time of day (24:00 is allowed only as an end)")
    return offset


def _as_time(offset: timedelta) -> time:
    return (datetime.min + offset).time() if offset < DAY else time(0)


def _normalise_week(weekly_hours: Any) -> tuple[tuple[_Span, ...], ...]:
    if isinstance(weekly_hours, Mapping):
        unknown = set(weekly_hours) - set(range(7))
        if unknown:
            raise ValueError(f"weekdays are 0 (Monday) to 6 (Sunday), got {sorted(unknown)}")
        days = [weekly_hours.get(weekday, ()) for weekday in range(7)]
    else:
        days = list(weekly_hours)
        if len(days) != 7:
            raise ValueError(f"weekly_hours needs 7 days (Monday first), got {len(days)}")
    return tuple(_normalise_day(intervals) for intervals in days)


def _normalise_day(intervals: Iterable[tuple[TimeSpec, TimeSpec]]) -> tuple[_Span, ...]:
    spans = sorted(
        (_parse_time(start, is_end=False), _parse_time(end, is_end=True))
        for start, end in intervals
    )
    for start, end in spans:
        if start >= end:
            # Overnight shifts are two intervals: 22:00-24:00 and 00:00-06:00 the next day.
            raise ValueError(f"interval {_as_time(start)}-{_as_time(end)} must end after it starts")
    for (_, previous_end), (next_start, _) in itertools.pairwise(spans):
        if next_start < previous_end:
            raise ValueError(f"intervals overlap at {_as_time(next_start)}")
    return tuple(spans)


# --- instants and the local clock -------------------------------------------------------------


def _to_utc(value: datetime, name: str) -> datetime:
    """Return `value` as naive UTC; naive input has no defined instant, so it is refused."""
    if not isinstance(value, datetime):
        raise TypeError(f"{name} must be a datetime, got {value!r}")
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware, got naive datetime {value!r}")
    return value.astimezone(UTC).replace(tzinfo=None)


def _from_utc(value: datetime, calendar: BusinessCalendar) -> datetime:
    return value.replace(tzinfo=UTC).astimezone(calendar._zone)


def _aware(value: datetime) -> datetime:
    # Results are UTC: a local time in a repeated hour (fold=1) never compares == to another
    # zone's datetime (PEP 495), which would trap callers comparing with database values.
    return value.replace(tzinfo=UTC)


def _offset_at(zone: ZoneInfo, utc: datetime) -> timedelta:
    return utc.replace(tzinfo=UTC).astimezone(zone).utcoffset() or ZERO


def _readings(zone: ZoneInfo, wall: datetime) -> tuple[datetime, datetime]:
    """Both naive UTC readings of a wall time; they differ only inside a DST gap or overlap."""
    first = wall - (wall.replace(tzinfo=zone, fold=0).utcoffset() or ZERO)
    second = wall - (wall.replace(tzinfo=zone, fold=1).utcoffset() or ZERO)
    return min(first, second), max(first, second)


def _check_duration(value: timedelta, name: str) -> timedelta:
    if not isinstance(value, timedelta):
        raise TypeError(f"{name} must be a timedelta, got {value!r}")
    if value < ZERO:
        raise ValueError(f"{name} must not be negative, got {value}")
    return value


def _regimes(zone: ZoneInfo, day: date) -> tuple[_Regime, ...]:
    """UTC offsets in force while the wall clock shows `day`, with the UTC range of each.

    Assumes at most one offset change per local day, which holds for every tzdb zone in use.
    """
    low = _readings(zone, datetime.combine(day, time()))[0]
    high = _readings(zone, datetime.combine(day + DAY, time()))[1]
    before, after = _offset_at(zone, low), _offset_at(zone, high)
    if before == after:
        return ((before, low, high),)
    switch = _find_transition(zone, low, high, before)
    return ((before, low, switch), (after, switch, high))


def _find_transition(zone: ZoneInfo, low: datetime, high: datetime, before: timedelta) -> datetime:
    """Binary-search the first UTC second whose offset is no longer `before`."""
    good, bad = 0, int((high - low).total_seconds())
    while bad - good > 1:
        middle = (good + bad) // 2
        if _offset_at(zone, low + timedelta(seconds=middle)) == before:
            good = middle
        else:
            bad = middle
    return low + timedelta(seconds=bad)


def _compute_segments(calendar: BusinessCalendar, day: date) -> tuple[_Segment, ...]:
    """Open stretches of one local day as sorted naive UTC ranges.

    An instant is open when its local wall time lies in an interval, so a repeated (fall-back)
    hour inside opening hours is counted twice and a skipped (spring-forward) hour not at all:
    business time is real time that passed while the office clock said "open".
    """
    spans = () if day in calendar.holidays else calendar._spans[day.weekday()]
    segments: list[_Segment] = []
    if spans:
        midnight = datetime.combine(day, time())
        for offset, low, high in _regimes(calendar._zone, day):
            for start, end in spans:
                segment = (max(midnight + start - offset, low), min(midnight + end - offset, high))
                if segment[0] < segment[1]:
                    segments.append(segment)
        segments.sort()
    return tuple(segments)


def _day_segments(calendar: BusinessCalendar, day: date) -> tuple[_Segment, ...]:
    cached = calendar._days.get(day)
    if cached is None:
        if len(calendar._days) >= _CACHE_LIMIT:
            calendar._days.clear()
        cached = calendar._days[day] = _compute_segments(calendar, day)
    return cached


@functools.lru_cache(maxsize=512)
def _year_table(calendar: BusinessCalendar, year: int) -> tuple[timedelta, ...]:
    """Business time from 1 January of `year` to each local midnight of that year (prefix sums).

    Built once per calendar and year (about half a millisecond), it turns elapsed time into a
    subtraction and due-time search into a bisection, however long the span.
    """
    zone, first = calendar._zone, date(year, 1, 1)
    days = (date(year + 1, 1, 1) - first).days
    totals, running = [ZERO], ZERO
    midnight = _readings(zone, datetime.combine(first, time()))
    for index in range(days):
        day = first + timedelta(days=index)
        next_midnight = _readings(zone, datetime.combine(day + DAY, time()))
        is_regular = midnight[0] == midnight[1] and next_midnight[0] - midnight[1] == DAY
        if is_regular:  # no offset change inside the day: wall-clock hours are real hours
            running += ZERO if day in calendar.holidays else calendar._day_totals[day.weekday()]
        else:
            running += sum((end - start for start, end in _compute_segments(calendar, day)), ZERO)
        totals.append(running)
        midnight = next_midnight
    return tuple(totals)


def _day_index(day: date) -> int:
    return day.toordinal() - date(day.year, 1, 1).toordinal()


def _whole_days_total(calendar: BusinessCalendar, first: date, stop: date) -> timedelta:
    """Business time of the whole local days in [first, stop)."""
    if stop <= first:
        return ZERO
    table = _year_table(calendar, first.year)
    if first.year == stop.year:
        return _year_table(calendar, stop.year)[_day_index(stop)] - table[_day_index(first)]
    total = table[-1] - table[_day_index(first)]
    for year in range(first.year + 1, stop.year):
        total += _year_table(calendar, year)[-1]
    return total + _year_table(calendar, stop.year)[_day_index(stop)]


def _day_reaching(
    calendar: BusinessCalendar, first: date, amount: timedelta
) -> tuple[date, timedelta]:
    """The day, from `first` on, in which `amount` (> 0) of business time runs out, and how much
    of that day's business time is still needed when it starts."""
    day = first
    while True:
        table = _year_table(calendar, day.year)
        start_index = _day_index(day)
        goal = table[start_index] + amount
        if goal <= table[-1]:
            index = bisect.bisect_left(table, goal, lo=start_index + 1)
            return date(day.year, 1, 1) + timedelta(days=index - 1), goal - table[index - 1]
        amount -= table[-1] - table[start_index]
        day = date(day.year + 1, 1, 1)
