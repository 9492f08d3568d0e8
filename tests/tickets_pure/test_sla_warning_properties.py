"""Properties of the warning instant the minute check uses, over random calendars and pauses
(DST changes, holidays, awkward zones: the strategies of test_sla_properties)."""

from datetime import timedelta

from hypothesis import given
from hypothesis import strategies as st

from tests.tickets_pure.test_sla_properties import calendars, durations, instants, pauses
from tickets.sla import (
    SlaStatus,
    SlaTargets,
    TicketTimes,
    due_at,
    elapsed_business_time,
    evaluate_sla,
    warning_at,
)

fractions = st.sampled_from([0.0, 0.1, 0.25, 0.5, 1.0])


@given(calendars(), st.data(), durations, fractions)
def test_the_warning_never_comes_after_the_due_time(calendar, data, target, fraction):
    start = data.draw(instants(calendar))
    held = data.draw(pauses(calendar))
    warn, due = (
        warning_at(start, target, calendar, held, fraction=fraction),
        due_at(start, target, calendar, held),
    )
    if warn is not None and due is not None:
        assert start <= warn <= due


@given(calendars(), st.data(), durations, fractions)
def test_at_the_warning_instant_exactly_the_window_is_left(calendar, data, target, fraction):
    start = data.draw(instants(calendar))
    held = data.draw(pauses(calendar))
    warn = warning_at(start, target, calendar, held, fraction=fraction)
    if warn is None:
        return
    used = elapsed_business_time(start, warn, calendar, held)
    assert used == max(target - target * fraction, timedelta(0))


@given(calendars(), st.data(), durations, fractions)
def test_the_status_is_ok_before_the_warning_and_breached_from_the_due_time(
    calendar, data, target, fraction
):
    start = data.draw(instants(calendar))
    targets = SlaTargets(resolution=target, warning_fraction=fraction)
    times = TicketTimes(created_at=start)
    warn = warning_at(start, target, calendar, fraction=fraction)
    due = due_at(start, target, calendar)
    before = data.draw(st.integers(1, 10**6))
    if warn - timedelta(microseconds=before) >= start:
        state = evaluate_sla(
            targets=targets,
            times=times,
            calendar=calendar,
            now=warn - timedelta(microseconds=before),
        )
        assert state.resolution.status == SlaStatus.OK
    if target:
        state = evaluate_sla(targets=targets, times=times, calendar=calendar, now=due)
        assert state.resolution.status == SlaStatus.BREACHED


@given(calendars(), st.data(), durations, st.timedeltas(timedelta(0), timedelta(hours=50)))
def test_a_larger_threshold_warns_earlier_or_at_the_same_time(calendar, data, target, threshold):
    start = data.draw(instants(calendar))
    plain = warning_at(start, target, calendar, fraction=0.1)
    early = warning_at(start, target, calendar, fraction=0.1, threshold=threshold)
    assert early <= plain
