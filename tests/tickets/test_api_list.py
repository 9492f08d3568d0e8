"""The ticket list: filters, keyset pages without COUNT, a constant number of queries."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.tickets.test_api_helpers import BASE, client_for, make_queue, make_ticket
from tickets.models import Tag, Ticket
from tickets.services import update_ticket

pytestmark = pytest.mark.django_db


def _ids(client, query: str = "") -> list[int]:
    response = client.get(f"{BASE}?{query}")
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


def _queries(client, query: str) -> tuple[int, list[str]]:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(f"{BASE}?{query}").status_code == 200
    return len(ctx), [q["sql"] for q in ctx.captured_queries]


@pytest.mark.parametrize("who", ["agent", "customer", "admin_user"])
def test_the_number_of_queries_does_not_grow_with_the_page(request, who, agent, customer):
    user = request.getfixturevalue(who)
    queue = make_queue("Support", agent)
    tag = Tag.objects.create(name="vip")

    def seed(count: int) -> None:
        for n in range(count):
            ticket = make_ticket(requester=customer, queue=queue, subject=f"T{n}")
            ticket.tags.add(tag)
            update_ticket(ticket=ticket, actor=agent, expected_version=None, assignee=agent)

    client = client_for(user)
    seed(5)
    _queries(client, "page_size=100")  # warm up: per-process config caches load once
    few, _ = _queries(client, "page_size=100")
    seed(45)
    many, sql = _queries(client, "page_size=100")
    assert few == many <= 3, sql
    assert not any("COUNT(" in q.upper() for q in sql)


def test_filters_narrow_the_list(agent, make_user):
    other_agent = make_user(role="agent")
    support, billing = make_queue("Support", agent, other_agent), make_queue("Billing", agent)
    a = make_ticket(email="a@example.com", queue=support, subject="Refund please")
    b = make_ticket(email="B@Example.com", queue=billing, subject="Invoice", channel="email")
    c = make_ticket(email="c@example.com", queue=support, subject="Login broken")
    update_ticket(ticket=a, actor=agent, expected_version=None, assignee=agent, status="open",
                  priority="high", tags=["vip"])  # fmt: skip
    update_ticket(ticket=c, actor=agent, expected_version=None, assignee=other_agent)
    client = client_for(agent)
    assert set(_ids(client)) == {a.pk, b.pk, c.pk}
    assert _ids(client, "status=open") == [a.pk]
    assert set(_ids(client, "status=open&status=new")) == {a.pk, b.pk, c.pk}
    assert _ids(client, "priority=high") == [a.pk]
    assert set(_ids(client, f"queue={support.pk}")) == {a.pk, c.pk}
    assert _ids(client, "assignee=me") == [a.pk]
    assert _ids(client, "assignee=none") == [b.pk]
    assert _ids(client, f"assignee={other_agent.pk}") == [c.pk]
    assert _ids(client, "tag=vip") == [a.pk]
    assert _ids(client, "channel=email") == [b.pk]
    assert _ids(client, "requester=b@EXAMPLE.com") == [b.pk]
    assert _ids(client, "q=refund") == [a.pk]
    assert _ids(client, f"q={c.reference.lower()}") == [c.pk]


def test_bad_filter_values_are_400_by_name(agent):
    response = client_for(agent).get(f"{BASE}?assignee=someone&status=nope")
    assert response.status_code == 400
    assert set(response.json()) == {"assignee", "status"}


def test_pages_follow_the_cursor_newest_update_first_and_cap_the_size(agent):
    queue = make_queue("Support", agent)
    tickets = [make_ticket(email=f"p{n}@example.com", queue=queue) for n in range(5)]
    client = client_for(agent)
    first = client.get(f"{BASE}?page_size=2").json()
    assert [r["id"] for r in first["results"]] == [tickets[4].pk, tickets[3].pk]
    assert "count" not in first
    second = client.get(first["next"]).json()
    assert [r["id"] for r in second["results"]] == [tickets[2].pk, tickets[1].pk]
    assert len(client.get(f"{BASE}?page_size=1000").json()["results"]) == 5
    assert Ticket.objects.count() == 5
