"""The desk's ticket page costs a fixed, small number of queries, however long the ticket."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.tickets.factories import make_queue, make_ticket
from tickets.services import add_message, update_ticket

pytestmark = pytest.mark.django_db
BUDGET = 12  # issue 5: the ticket page in at most 12 queries


def _count(client, ticket) -> int:
    client.get(f"/desk/tickets/{ticket.pk}/")  # warm caches (session, choices)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(f"/desk/tickets/{ticket.pk}/").status_code == 200
    return len(ctx)


def _grow(ticket, agent, n: int) -> None:
    for i in range(n):
        add_message(ticket=ticket, body=f"Reply {i}", author_user=agent, is_internal=i % 2 == 1)
        ticket.refresh_from_db()
        update_ticket(ticket=ticket, actor=agent, expected_version=ticket.version,
                      priority=["low", "high"][i % 2])  # fmt: skip
        ticket.refresh_from_db()


def test_ticket_page_stays_within_budget_and_does_not_grow_with_the_conversation(client, agent):
    queue = make_queue("Support", members=[agent])
    client.force_login(agent)
    short, long = make_ticket(queue=queue), make_ticket(queue=queue, email="other@example.com")
    _grow(short, agent, 1)
    _grow(long, agent, 8)
    assert _count(client, short) == _count(client, long) <= BUDGET
