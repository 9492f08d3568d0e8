"""Property: whatever happens to a ticket (replies, waiting on the customer, time passing,
checks), the minute check never leaves a due moment behind and never repeats itself."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpdesk.models import Event
from tests.tickets.automation_factories import make_policy, office_hours
from tests.tickets.factories import make_queue, make_ticket
from tickets.models import Ticket, TicketSla
from tickets.services import add_message, update_ticket
from tickets.services.sla_check import check_sla_deadlines

pytestmark = pytest.mark.django_db

steps = st.lists(
    st.one_of(
        st.tuples(st.just("wait"), st.integers(1, 3 * 24 * 60)),
        st.tuples(st.sampled_from(["agent", "customer", "pending", "open", "check"]), st.none()),
    ),
    min_size=1,
    max_size=12,
)


@pytest.fixture
def setup(agent):
    queue = make_queue("Support", members=[agent])
    queue.calendar = office_hours()
    queue.save()
    make_policy(first_response_minutes=60, next_response_minutes=120, resolution_minutes=600)
    return queue


def _do(step: str, arg, ticket: Ticket, agent, clock) -> None:
    ticket.refresh_from_db()
    if step == "wait":
        clock.advance(minutes=arg)
    elif step == "agent" and ticket.status != "closed":
        add_message(ticket=ticket, body="On it", author_user=agent, new_status="open")
    elif step == "customer" and ticket.status != "closed":
        add_message(ticket=ticket, body="Any news?", author_contact=ticket.requester)
    elif step in ("pending", "open") and ticket.status != step:
        update_ticket(ticket=ticket, actor=agent, expected_version=None, status=step)
    elif step == "check":
        check_sla_deadlines()


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(steps=steps, start_minute=st.integers(0, 7 * 24 * 60))
def test_the_check_leaves_nothing_due_behind_and_never_repeats(
    clock, agent, setup, steps, start_minute
):
    clock.set(datetime(2026, 3, 23, 0, 0, tzinfo=UTC))  # a week spanning Finland's DST change
    clock.advance(minutes=start_minute)
    ticket = make_ticket(queue=setup, email=f"c{start_minute}@example.com")
    for step, arg in steps:
        _do(step, arg, ticket, agent, clock)
    check_sla_deadlines()
    state = TicketSla.objects.get(ticket=ticket)
    assert state.next_check_at is None or state.next_check_at > clock.now
    events = Event.objects.filter(kind__startswith="sla.", data__ticket=ticket.pk)
    before = events.count()
    check_sla_deadlines()
    assert events.count() == before
    breaches = [e.data["target"] for e in events.filter(kind="sla.breached")]
    assert breaches.count("first_response") <= 1 and breaches.count("resolution") <= 1
