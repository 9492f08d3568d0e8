"""Hand-computed due times and elapsed business time: weekends, holidays, shifts, 24/7, zones."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from tickets.sla import BusinessCalendar, add_business_time, business_time_between

HELSINKI = ZoneInfo("Europe/Helsinki")
SHANGHAI = ZoneInfo("Asia/Shanghai")
FINNISH_HOLIDAYS = {date(2024, 12, 24), date(2024, 12, 25), date(2024, 12, 26)} | {
    date(2024, 12, 31),
    date(2025, 1, 1),
}
OFFICE = BusinessCalendar.weekdays("Europe/Helsinki", "09:00", "17:00", FINNISH_HOLIDAYS)
UTC_OFFICE = BusinessCalendar.weekdays("UTC", "09:00", "17:00")
SPLIT = BusinessCalendar("UTC", {day: [("08:00", "12:00"), ("13:00", "17:00")] for day in range(5)})
HOURS = timedelta(hours=1)


def helsinki(*args: int) -> datetime:
    return datetime(*args, tzinfo=HELSINKI)


def test_due_is_monday_afternoon_when_created_friday_1630_with_8_hour_target():
    # Friday gives 30 minutes, Monday 09:00 + 7h30 = 16:30 (not Tuesday: a day holds 8 hours).
    assert add_business_time(helsinki(2024, 3, 1, 16, 30), 8 * HOURS, OFFICE) == helsinki(
        2024, 3, 4, 16, 30
    )


def test_due_is_closing_time_when_target_ends_exactly_at_close():
    assert add_business_time(helsinki(2024, 3, 4, 9), 8 * HOURS, OFFICE) == helsinki(2024, 3, 4, 17)


def test_clock_starts_at_next_opening_when_created_on_saturday():
    assert add_business_time(helsinki(2024, 3, 2, 11), 2 * HOURS, OFFICE) == helsinki(
        2024, 3, 4, 11
    )


def test_due_is_start_when_target_is_zero():
    start = helsinki(2024, 3, 2, 11)
    assert add_business_time(start, timedelta(0), OFFICE) == start


def test_lunch_break_is_skipped_when_shift_is_split():
    assert add_business_time(datetime(2024, 1, 8, 11, tzinfo=UTC), 2 * HOURS, SPLIT) == datetime(
        2024, 1, 8, 14, tzinfo=UTC
    )
    elapsed = business_time_between(
        datetime(2024, 1, 8, 11, 30, tzinfo=UTC), datetime(2024, 1, 8, 13, 30, tzinfo=UTC), SPLIT
    )
    assert elapsed == HOURS


def test_due_is_plain_addition_when_calendar_is_24_7():
    always = BusinessCalendar.always_open("UTC")
    start = datetime(2024, 2, 28, 22, 17, 3, tzinfo=UTC)
    assert add_business_time(start, 50 * HOURS, always) == start + 50 * HOURS


def test_shift_runs_through_midnight_when_interval_ends_at_24_00():
    weekend = BusinessCalendar("UTC", {5: [("20:00", "24:00")], 6: [("00:00", "04:00")]})
    saturday_late = datetime(2024, 1, 6, 23, tzinfo=UTC)
    assert add_business_time(saturday_late, 2 * HOURS, weekend) == datetime(
        2024, 1, 7, 1, tzinfo=UTC
    )


def test_christmas_holidays_are_skipped_when_due_time_crosses_them():
    # Monday 23 Dec: 16-17 (1h); 24-26 closed; Friday 27 Dec 09:00 + 3h.
    assert add_business_time(helsinki(2024, 12, 23, 16), 4 * HOURS, OFFICE) == helsinki(
        2024, 12, 27, 12
    )


def test_new_year_holidays_are_skipped_when_due_time_crosses_the_year():
    # Fri 27 Dec 15-17 (2h), Mon 30 Dec (8h), 31 Dec and 1 Jan closed, Thu 2 Jan 09:00 + 6h.
    assert add_business_time(helsinki(2024, 12, 27, 15), 16 * HOURS, OFFICE) == helsinki(
        2025, 1, 2, 15
    )
    assert business_time_between(helsinki(2024, 12, 27, 15), helsinki(2025, 1, 2, 15), OFFICE) == (
        16 * HOURS
    )


def test_due_is_fifth_friday_closing_when_target_is_200_business_hours():
    # 200 h = 25 working days = 5 weeks from Monday 1 January 2024.
    due = add_business_time(datetime(2024, 1, 1, 9, tzinfo=UTC), 200 * HOURS, UTC_OFFICE)
    assert due == datetime(2024, 2, 2, 17, tzinfo=UTC)


def test_due_lands_in_next_year_when_target_spans_a_year_of_working_days():
    # 2104 h = 263 working days: 52 full weeks end Friday 27 Dec, then Mon 30, Tue 31, Wed 1 Jan.
    due = add_business_time(datetime(2024, 1, 1, 9, tzinfo=UTC), 2104 * HOURS, UTC_OFFICE)
    assert due == datetime(2025, 1, 1, 17, tzinfo=UTC)


def test_elapsed_is_zero_when_end_is_not_after_start():
    instant = helsinki(2024, 3, 4, 10)
    assert business_time_between(instant, instant, OFFICE) == timedelta(0)
    assert business_time_between(instant, instant - HOURS, OFFICE) == timedelta(0)


def test_elapsed_counts_whole_weeks_when_span_is_a_year():
    start, end = helsinki(2025, 1, 6, 0), helsinki(2026, 1, 5, 0)  # 52 weeks, no holidays listed
    assert business_time_between(start, end, OFFICE) == 52 * 40 * HOURS


def test_due_is_monday_morning_in_shanghai_when_created_friday_evening_utc():
    shanghai = BusinessCalendar.weekdays("Asia/Shanghai", "09:00", "18:00")
    # 09:30 UTC Friday = 17:30 in Shanghai: 30 minutes on Friday, 30 on Monday.
    due = add_business_time(datetime(2024, 1, 5, 9, 30, tzinfo=UTC), HOURS, shanghai)
    assert due == datetime(2024, 1, 8, 1, 30, tzinfo=UTC)
    assert shanghai.to_local(due).tzinfo == SHANGHAI
    assert (shanghai.to_local(due).hour, shanghai.to_local(due).minute) == (9, 30)


def test_elapsed_uses_calendar_zone_when_instants_are_utc():
    shanghai = BusinessCalendar.weekdays("Asia/Shanghai", "09:00", "18:00")
    start, end = datetime(2024, 1, 8, 0, tzinfo=UTC), datetime(2024, 1, 8, 12, tzinfo=UTC)
    assert business_time_between(start, end, shanghai) == 9 * HOURS
