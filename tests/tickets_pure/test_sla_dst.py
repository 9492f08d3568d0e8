"""Business time across daylight-saving changes in Europe/Helsinki and America/New_York.

Rule under test: an instant is open when its local wall time is inside opening hours, and
business time is the real time spent open. So a repeated fall-back hour inside opening hours
counts twice, a skipped spring-forward hour does not exist and counts zero.
"""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tickets.sla import (
    BusinessCalendar,
    add_business_time,
    business_time_between,
    is_open,
    next_opening,
)

HELSINKI = ZoneInfo("Europe/Helsinki")  # 2024: +02 -> +03 on 31 Mar 03:00, back on 27 Oct 04:00
NEW_YORK = ZoneInfo("America/New_York")  # 2024: -05 -> -04 on 10 Mar 02:00, back on 3 Nov 02:00
HOURS = timedelta(hours=1)


def test_weekend_change_costs_nothing_when_hours_are_weekdays_in_helsinki():
    office = BusinessCalendar.weekdays("Europe/Helsinki", "09:00", "17:00")
    start = datetime(2024, 3, 29, 16, tzinfo=HELSINKI)  # Friday, 14:00 UTC
    due = add_business_time(start, 2 * HOURS, office)
    assert due == datetime(2024, 4, 1, 10, tzinfo=HELSINKI)
    assert due == datetime(2024, 4, 1, 7, tzinfo=UTC)  # 65 real hours later, not 66


def test_dst_week_holds_40_hours_when_hours_are_weekdays_in_helsinki():
    office = BusinessCalendar.weekdays("Europe/Helsinki", "09:00", "17:00")
    for monday in (datetime(2024, 3, 25), datetime(2024, 10, 21)):
        start = monday.replace(tzinfo=HELSINKI)
        end = (monday + timedelta(days=7)).replace(tzinfo=HELSINKI)
        assert business_time_between(start, end, office) == 40 * HOURS


@pytest.mark.parametrize(
    ("zone", "day", "expected_hours"),
    [
        ("Europe/Helsinki", datetime(2024, 3, 31), 23),
        ("Europe/Helsinki", datetime(2024, 10, 27), 25),
        ("America/New_York", datetime(2024, 3, 10), 23),
        ("America/New_York", datetime(2024, 11, 3), 25),
    ],
)
def test_day_holds_its_real_length_when_calendar_is_24_7(zone, day, expected_hours):
    calendar = BusinessCalendar.always_open(zone)
    start = day.replace(tzinfo=ZoneInfo(zone))
    end = (day + timedelta(days=1)).replace(tzinfo=ZoneInfo(zone))
    assert business_time_between(start, end, calendar) == expected_hours * HOURS


@pytest.mark.parametrize(
    ("monday", "expected_hours"), [(datetime(2024, 3, 25), 167), (datetime(2024, 10, 21), 169)]
)
def test_week_holds_its_real_length_when_24_7_week_contains_a_change(monday, expected_hours):
    calendar = BusinessCalendar.always_open("Europe/Helsinki")
    start = monday.replace(tzinfo=HELSINKI)
    end = (monday + timedelta(days=7)).replace(tzinfo=HELSINKI)
    assert business_time_between(start, end, calendar) == expected_hours * HOURS
    assert add_business_time(start, expected_hours * HOURS, calendar) == end


def test_due_is_one_hour_later_on_the_wall_when_spring_day_is_short():
    calendar = BusinessCalendar.always_open("Europe/Helsinki")
    due = add_business_time(datetime(2024, 3, 31, tzinfo=HELSINKI), 24 * HOURS, calendar)
    assert due == datetime(2024, 4, 1, 1, tzinfo=HELSINKI)


def test_due_is_one_hour_earlier_on_the_wall_when_autumn_day_is_long():
    calendar = BusinessCalendar.always_open("Europe/Helsinki")
    due = add_business_time(datetime(2024, 10, 27, tzinfo=HELSINKI), 24 * HOURS, calendar)
    assert due == datetime(2024, 10, 27, 23, tzinfo=HELSINKI)


def test_missing_hour_is_not_counted_when_it_falls_inside_opening_hours():
    sunday_night = BusinessCalendar("Europe/Helsinki", {6: [("02:00", "06:00")]})
    start, end = datetime(2024, 3, 31, tzinfo=HELSINKI), datetime(2024, 4, 1, tzinfo=HELSINKI)
    assert business_time_between(start, end, sunday_night) == 3 * HOURS


def test_repeated_hour_counts_twice_when_it_falls_inside_opening_hours():
    sunday_night = BusinessCalendar("Europe/Helsinki", {6: [("02:00", "06:00")]})
    start, end = datetime(2024, 10, 27, tzinfo=HELSINKI), datetime(2024, 10, 28, tzinfo=HELSINKI)
    assert business_time_between(start, end, sunday_night) == 5 * HOURS


def test_opening_moves_to_end_of_gap_when_opening_time_does_not_exist():
    # 03:30 never shows on Helsinki clocks on 31 March 2024; they jump from 03:00 to 04:00.
    calendar = BusinessCalendar("Europe/Helsinki", {6: [("03:30", "05:00")]})
    opening = next_opening(datetime(2024, 3, 31, tzinfo=HELSINKI), calendar)
    assert opening == datetime(2024, 3, 31, 1, tzinfo=UTC)  # 04:00 EEST
    day_end = datetime(2024, 4, 1, tzinfo=HELSINKI)
    assert business_time_between(datetime(2024, 3, 31, tzinfo=HELSINKI), day_end, calendar) == HOURS


def test_weekday_due_follows_local_clock_when_new_york_falls_back():
    office = BusinessCalendar.weekdays("America/New_York", "09:00", "17:00")
    due = add_business_time(datetime(2024, 11, 1, 16, tzinfo=NEW_YORK), 2 * HOURS, office)
    assert due == datetime(2024, 11, 4, 10, tzinfo=NEW_YORK)
    assert due == datetime(2024, 11, 4, 15, tzinfo=UTC)


def test_both_passes_are_open_when_new_york_repeats_1am():
    calendar = BusinessCalendar("America/New_York", {6: [("00:00", "03:00")]})
    assert is_open(datetime(2024, 11, 3, 5, 30, tzinfo=UTC), calendar)  # 01:30 EDT
    assert is_open(datetime(2024, 11, 3, 6, 30, tzinfo=UTC), calendar)  # 01:30 EST
    start, end = datetime(2024, 11, 3, tzinfo=NEW_YORK), datetime(2024, 11, 4, tzinfo=NEW_YORK)
    assert business_time_between(start, end, calendar) == 4 * HOURS
    due = add_business_time(start, 2 * HOURS, calendar)
    assert due == datetime(2024, 11, 3, 6, tzinfo=UTC)
    assert (calendar.to_local(due).hour, calendar.to_local(due).fold) == (1, 1)  # second 01:00


def test_due_skips_missing_hour_when_new_york_springs_forward():
    calendar = BusinessCalendar("America/New_York", {6: [("01:00", "04:00")]})
    start = datetime(2024, 3, 10, 1, 30, tzinfo=NEW_YORK)
    assert add_business_time(start, HOURS, calendar) == datetime(
        2024, 3, 10, 3, 30, tzinfo=NEW_YORK
    )
    end = datetime(2024, 3, 11, tzinfo=NEW_YORK)
    assert business_time_between(datetime(2024, 3, 10, tzinfo=NEW_YORK), end, calendar) == 2 * HOURS
