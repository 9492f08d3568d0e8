"""Paused clocks: elapsed business time and due times while a ticket waits on the customer."""

from datetime import UTC, datetime, timedelta

import pytest

from tickets.sla import BusinessCalendar, add_business_time, due_at, elapsed_business_time

OFFICE = BusinessCalendar.weekdays("UTC", "09:00", "17:00")
HOURS = timedelta(hours=1)


def jan(day: int, hour: int, minute: int = 0) -> datetime:
    """2024-01-08 is a Monday."""
    return datetime(2024, 1, day, hour, minute, tzinfo=UTC)


def test_paused_business_time_is_subtracted_when_computing_elapsed():
    assert elapsed_business_time(jan(8, 9), jan(8, 17), OFFICE, [(jan(8, 10), jan(8, 12))]) == (
        6 * HOURS
    )


def test_overlap_is_subtracted_once_when_pauses_overlap():
    pauses = [(jan(8, 11), jan(8, 13)), (jan(8, 10), jan(8, 12))]
    assert elapsed_business_time(jan(8, 9), jan(8, 17), OFFICE, pauses) == 5 * HOURS


def test_open_pause_runs_until_now_when_it_has_no_end():
    assert elapsed_business_time(jan(8, 9), jan(8, 17), OFFICE, [(jan(8, 15), None)]) == 6 * HOURS


def test_pause_changes_nothing_when_it_lies_outside_business_hours():
    pauses = [(jan(13, 9), jan(14, 20))]  # Saturday and Sunday
    assert elapsed_business_time(jan(12, 9), jan(15, 17), OFFICE, pauses) == 16 * HOURS
    assert due_at(jan(12, 16), 2 * HOURS, OFFICE, pauses) == jan(15, 10)


def test_due_moves_by_paused_business_time_when_ticket_waits_on_customer():
    # Paused Monday 10:00 to Tuesday 10:00 = 7h + 1h of business time.
    assert due_at(jan(8, 9), 8 * HOURS, OFFICE) == jan(8, 17)
    assert due_at(jan(8, 9), 8 * HOURS, OFFICE, [(jan(8, 10), jan(9, 10))]) == jan(9, 17)


def test_due_is_unchanged_when_pause_starts_after_the_due_time():
    assert due_at(jan(8, 9), 4 * HOURS, OFFICE, [(jan(9, 10), jan(9, 11))]) == jan(8, 13)
    assert due_at(jan(8, 9), 4 * HOURS, OFFICE, [(jan(9, 10), None)]) == jan(8, 13)


def test_due_is_unknown_when_open_pause_stops_the_clock_before_the_target():
    assert due_at(jan(8, 9), 8 * HOURS, OFFICE, [(jan(8, 12), None)]) is None


def test_clock_resumes_from_pause_end_when_pause_covers_the_start():
    pauses = [(jan(7, 12), jan(8, 11))]
    assert due_at(jan(8, 9), 8 * HOURS, OFFICE, pauses) == jan(9, 11)


def test_old_pause_is_ignored_when_it_ended_before_the_start():
    assert due_at(jan(8, 9), 2 * HOURS, OFFICE, [(jan(1, 9), jan(2, 9))]) == jan(8, 11)


def test_due_without_pauses_matches_add_business_time():
    start = jan(10, 16, 45)
    assert due_at(start, 11 * HOURS, OFFICE) == add_business_time(start, 11 * HOURS, OFFICE)


def test_value_error_is_raised_when_pause_ends_before_it_starts():
    with pytest.raises(ValueError, match="ends before it starts"):
        due_at(jan(8, 9), HOURS, OFFICE, [(jan(8, 12), jan(8, 11))])
