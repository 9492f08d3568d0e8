"""Simultaneous tickets on PostgreSQL: nobody passes capacity, no ticket is routed twice."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections

from tests.tickets.factories import make_queue, make_ticket
from tickets.models import Ticket, TicketChange
from tickets.services.routing import route_waiting, set_availability

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row locks need PostgreSQL: set DATABASE_URL=postgres://...",
    ),
]
THREADS = 8


def _in_threads(work, count: int) -> list:
    barrier = threading.Barrier(THREADS)

    def run(n: int):
        barrier.wait(timeout=10) if n < THREADS else None
        try:
            return work(n)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        return list(pool.map(run, range(count)))


@pytest.mark.parametrize("strategy", ["least_loaded", "round_robin", "skill_based"])
def test_simultaneous_tickets_never_push_an_agent_past_capacity(make_user, strategy):
    agents = [make_user(role="agent", name=f"Agent {n}") for n in range(3)]
    queue = make_queue("Support", members=agents)
    queue.routing_strategy = strategy
    queue.save()
    for agent in agents:
        set_availability(user=agent, availability="online", capacity=2)

    tickets = _in_threads(
        lambda n: make_ticket(queue=queue, email=f"c{n}@example.com", subject=f"T{n}"), 16
    )
    loads = [Ticket.objects.filter(assignee=a).count() for a in agents]
    assert loads == [2, 2, 2]
    assert sum(1 for t in tickets if t.assignee_id is None) == 10


def test_waiting_tickets_swept_concurrently_get_one_assignee_each(make_user):
    agents = [make_user(role="agent", name=f"Agent {n}") for n in range(2)]
    queue = make_queue("Support", members=agents)
    queue.routing_strategy = "least_loaded"
    queue.save()
    waiting = [make_ticket(queue=queue, email=f"c{n}@example.com") for n in range(10)]
    for agent in agents:
        set_availability(user=agent, availability="online", capacity=3)

    _in_threads(lambda n: route_waiting(queue_ids=[queue.pk]), THREADS)
    assigned = Ticket.objects.filter(pk__in=[t.pk for t in waiting], assignee__isnull=False)
    assert assigned.count() == 6
    assert [Ticket.objects.filter(assignee=a).count() for a in agents] == [3, 3]
    # Each ticket was assigned exactly once: one history entry per assigned ticket.
    changes = TicketChange.objects.filter(field="assignee", ticket__in=waiting)
    assert changes.count() == 6
    assert len({c.ticket_id for c in changes}) == 6
