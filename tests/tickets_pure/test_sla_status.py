"""SLA status per target: ok, warning, breached, met, paused."""

from datetime import UTC, datetime, timedelta

import pytest

from tickets.sla import BusinessCalendar, SlaStatus, SlaTargets, TicketTimes, evaluate_sla

OFFICE = BusinessCalendar.weekdays("UTC", "09:00", "17:00")
HOURS = timedelta(hours=1)
TARGETS = SlaTargets(first_response=4 * HOURS, resolution=16 * HOURS, warning_fraction=0.25)
CREATED = datetime(2024, 1, 8, 9, tzinfo=UTC)  # Monday opening


def jan(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2024, 1, day, hour, minute, tzinfo=UTC)


def evaluate(now: datetime, targets: SlaTargets = TARGETS, **times):
    return evaluate_sla(
        targets=targets, times=TicketTimes(created_at=CREATED, **times), calendar=OFFICE, now=now
    )


def test_status_is_ok_when_plenty_of_time_remains():
    state = evaluate(jan(8, 10))
    assert state.first_response.status == SlaStatus.OK
    assert state.first_response.remaining == 3 * HOURS
    assert state.first_response.due_at == jan(8, 13)
    assert state.resolution.due_at == jan(9, 17)
    assert state.worst_status == SlaStatus.OK


def test_status_is_warning_when_less_than_the_warning_fraction_remains():
    state = evaluate(jan(8, 12, 30))
    assert state.first_response.status == SlaStatus.WARNING
    assert state.resolution.status == SlaStatus.OK
    assert state.worst_status == SlaStatus.WARNING


def test_status_is_warning_when_less_than_the_threshold_remains():
    targets = SlaTargets(first_response=4 * HOURS, warning_fraction=0, warning_threshold=2 * HOURS)
    assert evaluate(jan(8, 11, 30), targets).first_response.status == SlaStatus.WARNING


def test_status_is_breached_when_due_time_is_reached():
    assert evaluate(jan(8, 13)).first_response.status == SlaStatus.BREACHED


def test_remaining_is_negative_when_breached_overnight():
    state = evaluate(jan(9, 9))
    assert state.first_response.remaining == -4 * HOURS
    assert state.resolution.remaining == 8 * HOURS
    assert state.worst_status == SlaStatus.BREACHED


def test_met_target_is_ok_when_answered_in_time():
    state = evaluate(jan(10, 9), first_response_at=jan(8, 12))
    assert state.first_response.is_met
    assert state.first_response.status == SlaStatus.OK
    assert state.first_response.remaining == HOURS


def test_met_target_is_breached_when_answered_late():
    state = evaluate(jan(10, 9), first_response_at=jan(8, 14))
    assert state.first_response.status == SlaStatus.BREACHED
    assert state.first_response.remaining == -HOURS


def test_clock_is_stopped_when_ticket_waits_on_the_customer():
    state = evaluate(jan(9, 12), pauses=((jan(8, 11), None),))
    assert state.first_response.is_paused
    assert state.first_response.due_at is None
    assert state.first_response.remaining == 2 * HOURS
    assert state.first_response.status == SlaStatus.OK


def test_next_response_runs_from_customer_message_when_awaiting_reply():
    targets = SlaTargets(next_response=2 * HOURS)
    state = evaluate(jan(9, 10), targets, awaiting_reply_since=jan(8, 16))
    assert state.next_response.due_at == jan(9, 10)
    assert state.next_response.status == SlaStatus.BREACHED
    assert state.first_response is None and state.resolution is None


def test_next_response_is_absent_when_agent_spoke_last():
    assert evaluate(jan(9, 10), SlaTargets(next_response=2 * HOURS)).next_response is None


def test_value_error_is_raised_when_now_is_naive():
    with pytest.raises(ValueError, match="timezone-aware"):
        evaluate(datetime(2024, 1, 8, 10))


def test_value_error_is_raised_when_warning_fraction_is_out_of_range():
    with pytest.raises(ValueError, match="warning_fraction"):
        SlaTargets(first_response=HOURS, warning_fraction=1.5)
