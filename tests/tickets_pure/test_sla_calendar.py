"""Business calendar construction, input validation, is_open and next_opening."""

import pickle
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from tickets.sla import (
    BusinessCalendar,
    add_business_time,
    business_time_between,
    due_at,
    elapsed_business_time,
    is_open,
    next_opening,
)

HELSINKI = ZoneInfo("Europe/Helsinki")
OFFICE = BusinessCalendar.weekdays("Europe/Helsinki", "09:00", "17:00", {date(2024, 12, 6)})


def test_weekly_hours_are_normalised_when_given_as_strings_or_times():
    from_strings = BusinessCalendar("UTC", {0: [("13:00", "24:00"), ("08:00", "12:00")]})
    from_times = BusinessCalendar("UTC", {0: [(time(8), time(12)), (time(13), time(0))]})
    assert from_strings == from_times
    assert hash(from_strings) == hash(from_times)
    assert from_strings.weekly_hours[0] == ((time(8), time(12)), (time(13), time(0)))
    assert from_strings.weekly_hours[1:] == ((),) * 6


def test_calendar_survives_pickling_when_sent_to_a_worker():
    restored = pickle.loads(pickle.dumps(OFFICE))  # noqa: S301 - our own bytes, not user input
    assert restored == OFFICE
    assert hash(restored) == hash(OFFICE)


@pytest.mark.parametrize(
    ("timezone", "hours", "message"),
    [
        ("Mars/Olympus", {0: [("09:00", "17:00")]}, "unknown IANA time zone"),
        ("UTC", {0: [("17:00", "09:00")]}, "must end after it starts"),
        ("UTC", {0: [("09:00", "12:00"), ("11:00", "13:00")]}, "overlap"),
        ("UTC", {7: [("09:00", "17:00")]}, "weekdays are 0"),
        ("UTC", {0: [("9:5", "17:00")]}, "HH:MM"),
        ("UTC", {0: [("24:00", "24:00")]}, "not a time of day"),
        ("UTC", {0: [("09:00", "25:00")]}, "not a time of day"),
        ("UTC", {}, "at least one open interval"),
        ("UTC", [[("09:00", "17:00")]], "needs 7 days"),
    ],
)
def test_calendar_is_rejected_when_configuration_is_invalid(timezone, hours, message):
    with pytest.raises(ValueError, match=message):
        BusinessCalendar(timezone, hours)


def test_calendar_is_rejected_when_hours_carry_a_timezone():
    with pytest.raises(ValueError, match="wall-clock"):
        BusinessCalendar("UTC", {0: [(time(9, tzinfo=UTC), time(17))]})


@pytest.mark.parametrize(
    "call",
    [
        lambda naive: add_business_time(naive, timedelta(hours=1), OFFICE),
        lambda naive: business_time_between(naive, naive, OFFICE),
        lambda naive: is_open(naive, OFFICE),
        lambda naive: next_opening(naive, OFFICE),
        lambda naive: due_at(
            datetime(2024, 1, 1, tzinfo=UTC), timedelta(1), OFFICE, [(naive, None)]
        ),
        lambda naive: elapsed_business_time(datetime(2024, 1, 1, tzinfo=UTC), naive, OFFICE),
    ],
)
def test_value_error_is_raised_when_a_datetime_is_naive(call):
    with pytest.raises(ValueError, match="timezone-aware"):
        call(datetime(2024, 1, 1, 12))


def test_value_error_is_raised_when_duration_is_negative():
    with pytest.raises(ValueError, match="must not be negative"):
        add_business_time(datetime(2024, 1, 1, tzinfo=UTC), timedelta(hours=-1), OFFICE)


@pytest.mark.parametrize(
    ("local", "expected"),
    [
        (datetime(2024, 3, 4, 9, 0), True),  # Monday opening instant
        (datetime(2024, 3, 4, 8, 59, 59), False),
        (datetime(2024, 3, 4, 16, 59, 59), True),
        (datetime(2024, 3, 4, 17, 0), False),  # intervals are half-open
        (datetime(2024, 3, 2, 12, 0), False),  # Saturday
        (datetime(2024, 12, 6, 12, 0), False),  # holiday (Finnish independence day)
    ],
)
def test_is_open_follows_local_hours_when_instant_is_given(local, expected):
    assert is_open(local.replace(tzinfo=HELSINKI), OFFICE) is expected


def test_is_open_uses_calendar_zone_when_instant_is_in_utc():
    # 07:30 UTC is 09:30 in Helsinki in winter.
    assert is_open(datetime(2024, 3, 4, 7, 30, tzinfo=UTC), OFFICE)
    assert not is_open(datetime(2024, 3, 4, 6, 30, tzinfo=UTC), OFFICE)


def test_next_opening_is_monday_morning_when_asked_on_friday_evening():
    opening = next_opening(datetime(2024, 3, 1, 17, 0, tzinfo=HELSINKI), OFFICE)
    assert opening == datetime(2024, 3, 4, 9, 0, tzinfo=HELSINKI)
    assert opening.tzinfo == UTC
    assert OFFICE.to_local(opening).strftime("%A %H:%M") == "Monday 09:00"


def test_next_opening_is_the_instant_itself_when_already_open():
    instant = datetime(2024, 3, 4, 10, 15, 7, tzinfo=HELSINKI)
    assert next_opening(instant, OFFICE) == instant


def test_next_opening_skips_holiday_when_closed_for_the_day():
    opening = next_opening(datetime(2024, 12, 5, 18, 0, tzinfo=HELSINKI), OFFICE)
    assert opening == datetime(2024, 12, 9, 9, 0, tzinfo=HELSINKI)


def test_next_opening_is_in_shanghai_time_when_asked_in_utc():
    shanghai = BusinessCalendar.weekdays("Asia/Shanghai", "09:00", "18:00")
    # Friday 2024-01-05 10:00 UTC is 18:00 in Shanghai: closed until Monday.
    opening = next_opening(datetime(2024, 1, 5, 10, 0, tzinfo=UTC), shanghai)
    assert opening == datetime(2024, 1, 8, 1, 0, tzinfo=UTC)
    assert shanghai.to_local(opening).hour == 9
