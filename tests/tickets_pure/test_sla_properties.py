"""Properties of the business clock over random calendars, zones, starts and durations."""

import itertools
from datetime import UTC, date, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from tickets.sla import (
    BusinessCalendar,
    add_business_time,
    business_time_between,
    due_at,
    elapsed_business_time,
    is_open,
    next_opening,
)

# Zones with awkward rules and UTC instants near their 2024 transitions, so that DST days are
# drawn often: 30-minute DST (Lord Howe), changes at midnight (Santiago), a fall-back from 00:00
# to 23:00 of the previous day (Beirut); Kolkata and Shanghai have none.
TRANSITIONS = {
    "UTC": [datetime(2024, 12, 31, 12)],
    "Asia/Shanghai": [datetime(2024, 1, 5, 10)],
    "Asia/Kolkata": [datetime(2024, 6, 1)],
    "Europe/Helsinki": [datetime(2024, 3, 31, 1), datetime(2024, 10, 27, 1)],
    "America/New_York": [datetime(2024, 3, 10, 7), datetime(2024, 11, 3, 6)],
    "Australia/Lord_Howe": [datetime(2024, 4, 6, 15), datetime(2024, 10, 5, 15, 30)],
    "America/Santiago": [datetime(2024, 4, 7, 3), datetime(2024, 9, 8, 4)],
    "Asia/Beirut": [datetime(2024, 3, 30, 22), datetime(2024, 10, 26, 21)],
}
MINUTE = timedelta(minutes=1)


def _wall(quarter: int) -> str:
    return "24:00" if quarter == 96 else f"{quarter // 4:02d}:{quarter % 4 * 15:02d}"


@st.composite
def calendars(draw: st.DrawFn) -> BusinessCalendar:
    week = {}
    for weekday in range(7):
        cuts = sorted(draw(st.sets(st.integers(0, 96), max_size=6)))
        week[weekday] = [(_wall(a), _wall(b)) for a, b in zip(cuts[::2], cuts[1::2], strict=False)]
    if not any(week.values()):
        week[0] = [("09:00", "17:00")]
    holidays = draw(st.sets(st.dates(date(2023, 12, 1), date(2025, 3, 31)), max_size=12))
    return BusinessCalendar(draw(st.sampled_from(sorted(TRANSITIONS))), week, holidays)


def near_transition(calendar: BusinessCalendar) -> st.SearchStrategy[datetime]:
    """Instants within three days of one of the calendar zone's DST changes."""
    return st.builds(
        lambda base, seconds: (base + timedelta(seconds=seconds)).replace(tzinfo=UTC),
        st.sampled_from(TRANSITIONS[calendar.timezone]),
        st.integers(-3 * 86400, 3 * 86400),
    )


def instants(calendar: BusinessCalendar) -> st.SearchStrategy[datetime]:
    anywhere = st.datetimes(datetime(2023, 12, 1), datetime(2025, 3, 1), timezones=st.just(UTC))
    return st.one_of(near_transition(calendar), anywhere)


durations = st.timedeltas(timedelta(0), timedelta(hours=300))


def pauses(calendar: BusinessCalendar) -> st.SearchStrategy[list[tuple[datetime, datetime | None]]]:
    lengths = st.one_of(st.none(), st.timedeltas(timedelta(0), timedelta(days=5)))
    pause = st.tuples(instants(calendar), lengths).map(
        lambda pair: (pair[0], None if pair[1] is None else pair[0] + pair[1])
    )
    return st.lists(pause, max_size=4)


@given(calendars(), st.data(), durations)
def test_elapsed_equals_duration_when_measured_up_to_the_due_time(calendar, data, duration):
    start = data.draw(instants(calendar))
    due = add_business_time(start, duration, calendar)
    assert business_time_between(start, due, calendar) == duration


@given(calendars(), st.data(), durations, durations)
def test_due_never_moves_earlier_when_duration_grows(calendar, data, first, second):
    start = data.draw(instants(calendar))
    shorter, longer = sorted((first, second))
    assert add_business_time(start, shorter, calendar) <= add_business_time(start, longer, calendar)


@given(calendars(), st.data())
def test_elapsed_is_additive_when_intervals_are_adjacent(calendar, data):
    a, b, c = sorted(data.draw(st.lists(instants(calendar), min_size=3, max_size=3)))
    split = business_time_between(a, b, calendar) + business_time_between(b, c, calendar)
    assert split == business_time_between(a, c, calendar)


@given(calendars(), st.data(), st.timedeltas(timedelta(0), timedelta(days=60)))
def test_long_span_equals_sum_of_half_days_when_cut_into_pieces(calendar, data, length):
    # Pieces of 12 hours never use the per-year tables, so this checks them independently.
    start = data.draw(instants(calendar)) - length / 2
    cuts = [start + timedelta(hours=12 * i) for i in range(int(length / timedelta(hours=12)) + 1)]
    cuts.append(start + length)
    pieces = [business_time_between(a, b, calendar) for a, b in itertools.pairwise(cuts)]
    assert sum(pieces, timedelta(0)) == business_time_between(start, start + length, calendar)


@settings(max_examples=60)
@given(calendars(), st.data(), st.integers(1, 36 * 60))
def test_elapsed_equals_count_of_open_minutes_when_sampled_minute_by_minute(
    calendar, data, minutes
):
    # All wall-clock bounds and offsets are whole minutes, so sampling minutes is exact.
    start = data.draw(near_transition(calendar)).replace(second=0) - minutes * MINUTE / 2
    start = start.replace(second=0, microsecond=0)
    open_minutes = sum(is_open(start + i * MINUTE, calendar) for i in range(minutes))
    assert business_time_between(start, start + minutes * MINUTE, calendar) == open_minutes * MINUTE


@given(calendars(), st.data())
def test_one_microsecond_counts_when_and_only_when_calendar_is_open(calendar, data):
    instant = data.draw(instants(calendar))
    tick = timedelta(microseconds=1)
    assert (business_time_between(instant, instant + tick, calendar) == tick) == is_open(
        instant, calendar
    )


@given(calendars(), st.data())
def test_next_opening_is_open_and_nothing_elapses_when_waiting_for_it(calendar, data):
    instant = data.draw(instants(calendar))
    opening = next_opening(instant, calendar)
    assert opening >= instant
    assert is_open(opening, calendar)
    assert business_time_between(instant, opening, calendar) == timedelta(0)


@given(calendars(), st.data(), durations)
def test_pauses_never_make_due_earlier_when_added(calendar, data, target):
    start, paused = data.draw(instants(calendar)), data.draw(pauses(calendar))
    due = due_at(start, target, calendar, paused)
    assert due is None or due >= add_business_time(start, target, calendar)


@given(calendars(), st.data(), durations)
def test_unpaused_elapsed_equals_target_when_measured_up_to_due(calendar, data, target):
    start, paused = data.draw(instants(calendar)), data.draw(pauses(calendar))
    due = due_at(start, target, calendar, paused)
    if due is not None:
        assert elapsed_business_time(start, due, calendar, paused) == target
