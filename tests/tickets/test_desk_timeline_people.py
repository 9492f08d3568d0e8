"""The ticket page names every author and actor, whoever they are, though it reads agents from
the cached staff map and the requester from the ticket (no join per message or change)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from customers.services import get_or_create_contact
from tests.tickets.factories import make_queue, make_ticket
from tickets.models import Ticket
from tickets.services import add_message, link_tickets, update_ticket

pytestmark = pytest.mark.django_db


def _page(client, ticket) -> tuple[str, int]:
    client.get(f"/desk/tickets/{ticket.pk}/")  # warm the per-process caches
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(f"/desk/tickets/{ticket.pk}/")
    assert response.status_code == 200
    return response.content.decode(), len(ctx)


def _update(ticket, actor, **changes) -> Ticket:
    ticket.refresh_from_db()
    return update_ticket(ticket=ticket, actor=actor, expected_version=ticket.version, **changes)


def test_agents_the_requester_and_others_are_all_named(client, agent, make_user):
    colleague = make_user(role="agent", name="Omar Colleague")
    leaver = make_user(role="agent", name="Lea Leaver")
    queue = make_queue("Support", members=[agent, colleague, leaver])
    ticket = make_ticket(queue=queue, name="Casey Requester")
    cc = get_or_create_contact(email="cc-person@example.com", name="Cleo Copied")
    add_message(ticket=ticket, body="From the agent", author_user=agent)
    add_message(ticket=ticket, body="From the leaver", author_user=leaver)
    add_message(ticket=ticket, body="From the copied contact", author_contact=cc)
    _update(ticket, leaver, assignee=colleague)
    leaver.is_active = False  # no longer among the cached staff: read with one more query
    leaver.save()
    client.force_login(agent)

    html, queries = _page(client, ticket)

    assert "Aino Agent" in html and "Casey Requester" in html and "Cleo Copied" in html
    assert "Lea Leaver" in html  # the message's author
    assert "changed the assignee from none to Omar Colleague" in html
    # Everyone named by cached staff or the ticket's own requester costs no query:
    plain = make_ticket(queue=queue, email="plain@example.com")
    add_message(ticket=plain, body="Hello", author_user=agent)
    _update(plain, agent, assignee=colleague)
    plain_html, plain_queries = _page(client, plain)
    assert "Aino Agent" in plain_html and "changed the assignee" in plain_html
    assert queries == plain_queries + 2  # the former agent, the copied contact


def test_related_tickets_are_read_only_for_a_ticket_that_was_linked(client, agent):
    queue = make_queue("Support", members=[agent])
    first = make_ticket(queue=queue, subject="Printer on fire")
    second = make_ticket(queue=queue, subject="Smoke in the office", email="b@example.com")
    client.force_login(agent)
    html, unlinked = _page(client, first)
    assert "Smoke in the office" not in html

    link_tickets(ticket=first, other=second, actor=agent)

    html, linked = _page(client, first)
    assert "Smoke in the office" in html
    assert linked == unlinked + 2  # the links, then the linked tickets the agent may see
    assert "Printer on fire" in _page(client, second)[0]


def test_a_renamed_agent_is_shown_by_the_new_name(client, agent):
    queue = make_queue("Support", members=[agent])
    ticket = make_ticket(queue=queue)
    add_message(ticket=ticket, body="Looking into it", author_user=agent)
    client.force_login(agent)
    assert "Aino Agent" in _page(client, ticket)[0]  # the staff map is now cached

    agent.name = "Aino Renamed"
    agent.save()

    html = _page(client, ticket)[0]
    assert "Aino Renamed" in html and "Aino Agent" not in html


def test_their_other_tickets_follow_the_agents_queues(client, agent):
    mine, theirs = make_queue("Support", members=[agent]), make_queue("Billing")
    ticket = make_ticket(queue=mine, subject="Parcel late")
    make_ticket(queue=mine, subject="Parcel damaged")
    make_ticket(queue=theirs, subject="Invoice wrong")
    client.force_login(agent)
    html = _page(client, ticket)[0]
    assert "Parcel damaged" in html and "Invoice wrong" not in html

    theirs.members.add(agent)  # the compiled query's shape is keyed by the agent's queues
    html = _page(client, ticket)[0]
    assert "Parcel damaged" in html and "Invoice wrong" in html

    mine.members.remove(agent)
    theirs.members.remove(agent)
    assert client.get(f"/desk/tickets/{ticket.pk}/").status_code == 404
