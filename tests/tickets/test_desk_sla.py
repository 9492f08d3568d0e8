"""The desk's SLA side: countdowns, sorting by due time, "breaching soon", macros, availability."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.tickets.automation_factories import make_policy
from tests.tickets.factories import make_queue, make_ticket
from tickets.listing import Filters, filter_tickets, paginate
from tickets.models import AgentStatus, Macro, Ticket
from tickets.selectors import visible_tickets
from tickets.services.sla_check import check_sla_deadlines

pytestmark = pytest.mark.django_db


@pytest.fixture
def queue(agent):
    return make_queue("Support", members=[agent])


def _three_policies():
    make_policy("Urgent", position=1, priorities=["urgent"], first_response_minutes=10)
    make_policy("High", position=2, priorities=["high"], first_response_minutes=30)
    make_policy("Normal", position=3, priorities=["normal"], first_response_minutes=240)


def test_the_list_shows_countdowns_and_the_ticket_page_each_target(client, agent, queue, clock):
    make_policy(first_response_minutes=90, resolution_minutes=480)
    ticket = make_ticket(queue=queue)
    client.force_login(agent)
    page = client.get("/desk/").content.decode()
    assert "due in 1\xa0hour, 30\xa0minutes" in page
    ticket_page = client.get(f"/desk/tickets/{ticket.pk}/").content.decode()
    assert "First response" in ticket_page and "Resolution" in ticket_page
    assert 'data-sla-due="' in ticket_page


def test_overdue_tickets_say_so(client, agent, queue, clock):
    make_policy(first_response_minutes=10)
    make_ticket(queue=queue)
    clock.advance(minutes=25)
    client.force_login(agent)
    assert "overdue by 15\xa0minutes" in client.get("/desk/").content.decode()


def test_sorting_by_due_time_puts_the_soonest_first_and_no_clock_last(agent, queue, clock):
    _three_policies()
    low = make_ticket(queue=queue, priority="low", email="a@example.com")  # no policy
    normal = make_ticket(queue=queue, priority="normal", email="b@example.com")
    urgent = make_ticket(queue=queue, priority="urgent", email="c@example.com")
    high = make_ticket(queue=queue, priority="high", email="d@example.com")
    qs = filter_tickets(visible_tickets(agent), Filters(sort="due"), agent)
    first = paginate(qs, sort="due", size=2)
    assert [t.pk for t in first.rows] == [urgent.pk, high.pk]
    second = paginate(qs, sort="due", size=2, cursor=first.next_cursor)
    assert [t.pk for t in second.rows] == [normal.pk, low.pk]
    back = paginate(qs, sort="due", size=2, cursor=second.prev_cursor)
    assert [t.pk for t in back.rows] == [urgent.pk, high.pk]


def test_breaching_soon_lists_warned_breached_and_due_within_the_hour(client, agent, queue, clock):
    _three_policies()
    urgent = make_ticket(queue=queue, priority="urgent", email="a@example.com")
    high = make_ticket(queue=queue, priority="high", email="b@example.com")
    normal = make_ticket(queue=queue, priority="normal", email="c@example.com")
    clock.advance(minutes=12)
    check_sla_deadlines()  # urgent breached; high due in 18 minutes
    client.force_login(agent)
    response = client.get("/desk/?view=breaching")
    rows = [t.pk for t in response.context["page"].rows]
    assert rows == [urgent.pk, high.pk]
    assert normal.pk not in rows and response.context["title"] == "Breaching soon"


def test_the_list_with_sla_columns_keeps_its_query_budget(client, agent, queue, clock):
    make_policy()
    client.force_login(agent)

    def count(sort: str) -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(f"/desk/?view=all&size=50&sort={sort}").status_code == 200
        return len(ctx)

    make_ticket(queue=queue)
    count("due")  # the process's first page loads the cached configs
    few = count("due")
    for n in range(20):
        make_ticket(queue=queue, email=f"c{n}@example.com")
    assert count("due") == few <= 12
    assert count("updated") <= 12


def test_sla_and_macros_add_no_query_to_the_ticket_page(client, agent, queue, clock):
    def count(ticket) -> int:
        client.get(f"/desk/tickets/{ticket.pk}/")  # warm the session and caches
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(f"/desk/tickets/{ticket.pk}/").status_code == 200
        return len(ctx)

    client.force_login(agent)
    plain = count(make_ticket(queue=queue, email="a@example.com"))
    make_policy()
    Macro.objects.create(name="Close", actions=[{"action": "set_status", "value": "solved"}])
    assert count(make_ticket(queue=queue, email="b@example.com")) == plain


def test_an_agent_applies_a_macro_from_the_ticket_page(client, agent, queue):
    macro = Macro.objects.create(
        name="VIP",
        actions=[
            {"action": "add_tags", "value": ["vip"]},
            {"action": "set_priority", "value": "high"},
        ],
    )
    other_queue_macro = Macro.objects.create(
        name="Sales only",
        queue=make_queue("Sales"),
        actions=[{"action": "set_priority", "value": "low"}],
    )
    ticket = make_ticket(queue=queue)
    client.force_login(agent)
    page = client.get(f"/desk/tickets/{ticket.pk}/").content.decode()
    assert "VIP" in page and "Sales only" not in page
    url = f"/desk/tickets/{ticket.pk}/macro/"
    client.post(url, {"macro": other_queue_macro.pk, "version": ticket.version})
    assert Ticket.objects.get(pk=ticket.pk).priority == "normal"
    client.post(url, {"macro": macro.pk, "version": ticket.version + 5})  # stale: refused
    assert Ticket.objects.get(pk=ticket.pk).priority == "normal"
    response = client.post(url, {"macro": macro.pk, "version": ticket.version})
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert ticket.priority == "high" and [t.name for t in ticket.tags.all()] == ["vip"]


def test_an_agent_sets_their_availability_from_the_desk(client, agent):
    client.force_login(agent)
    assert 'value="offline" selected' in client.get("/desk/").content.decode()
    response = client.post("/desk/availability/", {"availability": "online", "next": "/desk/"})
    assert response.status_code == 302
    assert AgentStatus.objects.get(pk=agent.pk).availability == "online"
    client.post("/desk/availability/", {"availability": "asleep"})
    assert AgentStatus.objects.get(pk=agent.pk).availability == "online"


def test_customers_cannot_use_the_desk_availability_or_macros(client, customer, queue):
    ticket = make_ticket(queue=queue, email=customer.email, user=customer)
    client.force_login(customer)
    assert client.post("/desk/availability/", {"availability": "online"}).status_code == 404
    assert client.post(f"/desk/tickets/{ticket.pk}/macro/", {"macro": 1}).status_code == 404
