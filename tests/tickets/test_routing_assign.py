"""Automatic assignment per queue: strategies, capacity, availability, waiting tickets."""

from datetime import timedelta

import pytest
from django.utils import timezone

from helpdesk.models import Event
from tests.tickets.factories import make_queue, make_ticket
from tickets.models import AgentStatus, Availability, Ticket, TicketChange
from tickets.services import update_ticket
from tickets.services.routing import mark_idle_agents_away, set_availability, touch_agent
from tickets.tasks import route_waiting_tickets

pytestmark = pytest.mark.django_db


@pytest.fixture
def agents(make_user):
    return [make_user(role="agent", name=f"Agent {n}") for n in range(3)]


def _queue(strategy: str, members) -> object:
    queue = make_queue("Support", members=members)
    queue.routing_strategy = strategy
    queue.save()
    return queue


def _online(*users, capacity=None, skills=()) -> None:
    for user in users:
        set_availability(user=user, availability="online", capacity=capacity, skills=skills)


def test_round_robin_gives_each_online_agent_a_turn(clock, agents):
    queue = _queue("round_robin", agents)
    _online(*agents)
    picks = []
    for n in range(6):
        clock.advance(seconds=1)
        picks.append(make_ticket(queue=queue, email=f"c{n}@example.com").assignee_id)
    assert picks[:3] == picks[3:] and sorted(picks[:3]) == sorted(a.pk for a in agents)


def test_least_loaded_never_passes_an_agents_capacity(agents):
    queue = _queue("least_loaded", agents[:2])
    _online(*agents[:2], capacity=2)
    tickets = [make_ticket(queue=queue, email=f"c{n}@example.com") for n in range(5)]
    loads = [Ticket.objects.filter(assignee=a).count() for a in agents[:2]]
    assert loads == [2, 2]
    assert tickets[-1].assignee_id is None and tickets[-1].status == "new"


def test_a_routed_ticket_is_open_recorded_and_announced(agents):
    queue = _queue("least_loaded", agents[:1])
    _online(agents[0])
    ticket = make_ticket(queue=queue)
    assert ticket.assignee == agents[0] and ticket.status == "open"
    created = TicketChange.objects.get(ticket=ticket, field="created")
    assert created.new["assignee"] == agents[0].pk
    event = Event.objects.get(kind="ticket.assigned")
    assert event.data == {"ticket": ticket.pk, "assignee": agents[0].pk, "by": "routing"}


def test_skill_based_routing_prefers_the_language_then_the_tags(agents):
    queue = _queue("skill_based", agents)
    _online(agents[0], skills=["en"])
    _online(agents[1], skills=["fi"])
    _online(agents[2], skills=["fi", "billing"])
    assert make_ticket(queue=queue, language="fi", tags=["billing"]).assignee == agents[2]
    assert make_ticket(queue=queue, language="fi", email="b@example.com").assignee == agents[1]
    assert make_ticket(queue=queue, language="en", email="c@example.com").assignee == agents[0]


def test_manual_queues_and_offline_or_away_agents_get_nothing(agents):
    manual = make_queue("Manual", members=agents)
    _online(*agents)
    assert make_ticket(queue=manual).assignee is None
    routed = _queue("round_robin", agents[:2])
    set_availability(user=agents[0], availability="away")
    set_availability(user=agents[1], availability="offline")
    assert make_ticket(queue=routed, email="x@example.com").assignee is None


def test_waiting_tickets_are_assigned_when_an_agent_comes_online(
    agents, django_capture_on_commit_callbacks
):
    queue = _queue("least_loaded", agents[:1])
    waiting = [make_ticket(queue=queue, email=f"c{n}@example.com") for n in range(3)]
    assert all(t.assignee_id is None for t in waiting)
    with django_capture_on_commit_callbacks(execute=True):  # the task is queued on commit
        set_availability(user=agents[0], availability="online", capacity=2)
    assigned = Ticket.objects.filter(assignee=agents[0]).order_by("pk")
    assert [t.pk for t in assigned] == [waiting[0].pk, waiting[1].pk]
    assert Ticket.objects.get(pk=waiting[2].pk).assignee_id is None


def test_an_urgent_waiting_ticket_is_assigned_before_older_normal_ones(
    agents, django_capture_on_commit_callbacks
):
    queue = _queue("least_loaded", agents[:1])
    make_ticket(queue=queue, email="a@example.com")
    urgent = make_ticket(queue=queue, email="b@example.com", priority="urgent")
    with django_capture_on_commit_callbacks(execute=True):
        _online(agents[0], capacity=1)
    assert Ticket.objects.get(assignee=agents[0]).pk == urgent.pk


def test_solving_frees_capacity_and_the_minute_sweep_assigns_the_next(agents):
    queue = _queue("least_loaded", agents[:1])
    _online(agents[0], capacity=1)
    first = make_ticket(queue=queue, email="a@example.com")
    second = make_ticket(queue=queue, email="b@example.com")
    assert second.assignee_id is None
    update_ticket(ticket=first, actor=agents[0], expected_version=None, status="solved")
    assert route_waiting_tickets() == 1
    assert Ticket.objects.get(pk=second.pk).assignee == agents[0]


def test_idle_agents_become_away_and_activity_brings_them_back(agents):
    _online(agents[0])
    AgentStatus.objects.filter(pk=agents[0].pk).update(
        last_seen_at=timezone.now() - timedelta(minutes=11)
    )
    assert mark_idle_agents_away() == 1
    status = AgentStatus.objects.get(pk=agents[0].pk)
    assert status.availability == Availability.AWAY and status.is_auto_away
    touch_agent(agents[0])
    assert AgentStatus.objects.get(pk=agents[0].pk).availability == Availability.ONLINE


def test_an_agent_who_chose_away_stays_away_when_active(agents):
    set_availability(user=agents[0], availability="away")
    touch_agent(agents[0])
    assert AgentStatus.objects.get(pk=agents[0].pk).availability == Availability.AWAY


def test_routing_costs_a_fixed_number_of_queries_whatever_the_team_size(make_user):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def cost(size: int) -> int:
        members = [make_user(role="agent") for _ in range(size)]
        queue = make_queue(f"Q{size}", members=members)
        queue.routing_strategy = "least_loaded"
        queue.save()
        _online(*members, capacity=5)
        make_ticket(queue=queue, email="warm@example.com")
        with CaptureQueriesContext(connection) as ctx:
            make_ticket(queue=queue, email=f"n{size}@example.com")
        return len(ctx)

    assert cost(2) == cost(12)


def test_the_ticket_pages_heartbeat_counts_as_activity(client, agents):
    queue = make_queue("Support", members=agents[:1])
    ticket = make_ticket(queue=queue)
    _online(agents[0])
    AgentStatus.objects.filter(pk=agents[0].pk).update(
        last_seen_at=timezone.now() - timedelta(minutes=11)
    )
    mark_idle_agents_away()
    client.force_login(agents[0])
    url = f"/desk/tickets/{ticket.pk}/presence/?version=1&seen_message=0&seen_change=0"
    assert client.get(url).status_code == 200
    status = AgentStatus.objects.get(pk=agents[0].pk)
    assert status.availability == Availability.ONLINE
    assert timezone.now() - status.last_seen_at < timedelta(minutes=1)


def test_a_ticket_moved_unassigned_into_a_routed_queue_is_routed_there(
    agents, django_capture_on_commit_callbacks
):
    manual = make_queue("Inbox")
    routed = _queue("least_loaded", agents[:1])
    _online(agents[0])
    ticket = make_ticket(queue=manual)
    assert ticket.assignee_id is None
    with django_capture_on_commit_callbacks(execute=True):
        update_ticket(ticket=ticket, actor=agents[1], expected_version=None, queue=routed)
    assert Ticket.objects.get(pk=ticket.pk).assignee == agents[0]
