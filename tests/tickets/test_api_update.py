"""Changing tickets through the API: optimistic locking, strict bodies, the desk's actions."""

from __future__ import annotations

import pytest

from tests.tickets.test_api_helpers import BASE, client_for, make_queue, make_ticket, url
from tickets.models import Status, Ticket, TicketLink
from tickets.services import update_ticket

pytestmark = pytest.mark.django_db


@pytest.fixture
def queue(agent):
    return make_queue("Support", agent)


@pytest.fixture
def ticket(queue, customer):
    return make_ticket(requester=customer, queue=queue)


def test_the_second_agent_with_an_old_version_gets_409_and_nothing_is_overwritten(
    ticket, agent, make_user, queue
):
    second = make_user(role="agent")
    queue.members.add(second)
    first_read = client_for(agent).get(url(ticket))
    second_read = client_for(second).get(url(ticket))
    assert first_read["ETag"] == second_read["ETag"] == '"1"'
    won = client_for(agent).patch(
        url(ticket), {"priority": "urgent"}, format="json", HTTP_IF_MATCH=first_read["ETag"]
    )
    assert won.status_code == 200 and won.json()["version"] == 2
    lost = client_for(second).patch(url(ticket), {"priority": "low", "version": 1}, format="json")
    assert lost.status_code == 409
    assert lost.json()["current"]["priority"] == "urgent"
    assert lost.json()["current"]["version"] == 2
    assert "changed by someone else" in lost.json()["detail"]
    ticket.refresh_from_db()
    assert (ticket.priority, ticket.version) == ("urgent", 2)


def test_a_patch_without_a_version_is_428(ticket, agent):
    response = client_for(agent).patch(url(ticket), {"priority": "high"}, format="json")
    assert response.status_code == 428
    ticket.refresh_from_db()
    assert ticket.priority == "normal"


def test_an_agent_changes_every_field_the_desk_offers(ticket, agent, queue):
    other_queue = make_queue("Billing", agent)
    response = client_for(agent).patch(
        url(ticket),
        {
            "status": "open",
            "priority": "high",
            "queue": other_queue.pk,
            "assignee": agent.pk,
            "subject": "New subject",
            "tags": ["VIP", "refund"],
            "version": 1,
        },
        format="json",
    )
    assert response.status_code == 200, response.content
    data = response.json()
    assert (data["status"], data["priority"], data["subject"]) == ("open", "high", "New subject")
    assert (data["queue"]["id"], data["assignee"]["id"]) == (other_queue.pk, agent.pk)
    assert data["tags"] == ["refund", "vip"]
    assert response["ETag"] == f'"{data["version"]}"'


def test_unknown_fields_are_rejected_by_name(ticket, agent):
    response = client_for(agent).patch(
        url(ticket), {"version": 1, "requester": 5, "merged_into": 3}, format="json"
    )
    assert response.status_code == 400
    assert set(response.json()) == {"requester", "merged_into"}


def test_a_broken_rule_is_400_with_a_detail(ticket, agent):
    update_ticket(ticket=ticket, actor=agent, expected_version=None, status=Status.CLOSED)
    response = client_for(agent).patch(url(ticket), {"status": "open", "version": 2}, format="json")
    assert response.status_code == 400
    assert "cannot become open" in response.json()["detail"]


def test_assigning_to_a_non_agent_is_a_field_error(ticket, agent, customer):
    response = client_for(agent).post(
        f"{BASE}{ticket.pk}/assign", {"assignee": customer.pk}, format="json"
    )
    assert response.status_code == 400
    assert "assignee" in response.json()


def test_take_assign_and_unassign(ticket, agent):
    client = client_for(agent)
    taken = client.post(f"{BASE}{ticket.pk}/assign", {"take": True}, format="json")
    assert taken.status_code == 200
    assert (taken.json()["assignee"]["id"], taken.json()["status"]) == (agent.pk, "open")
    cleared = client.post(f"{BASE}{ticket.pk}/assign", {"assignee": None}, format="json")
    assert cleared.json()["assignee"] is None
    both = client.post(f"{BASE}{ticket.pk}/assign", {}, format="json")
    assert both.status_code == 400


def test_merge_and_link_need_a_ticket_the_agent_can_see(ticket, agent, queue):
    other = make_ticket(email="x@example.com", queue=queue)
    hidden = make_ticket(email="y@example.com", queue=make_queue("Secret"))
    client = client_for(agent)
    assert client.post(f"{BASE}{ticket.pk}/link", {"other": hidden.pk}, format="json").json() == {
        "other": [f"There is no ticket {hidden.pk} that you can see."]
    }
    linked = client.post(f"{BASE}{ticket.pk}/link", {"other": other.pk}, format="json")
    assert linked.status_code == 200 and linked.json()["links"] == [other.pk]
    assert TicketLink.objects.count() == 1
    assert (
        client.post(f"{BASE}{ticket.pk}/merge", {"into": hidden.pk}, format="json").status_code
        == 400
    )
    merged = client.post(f"{BASE}{ticket.pk}/merge", {"into": other.pk}, format="json")
    assert merged.status_code == 200 and merged.json()["id"] == other.pk
    ticket.refresh_from_db()
    assert (ticket.status, ticket.merged_into_id) == ("closed", other.pk)


def test_the_requester_rates_a_solved_ticket(ticket, customer, agent):
    client = client_for(customer)
    early = client.post(f"{BASE}{ticket.pk}/rate", {"rating": "good"}, format="json")
    assert early.status_code == 400
    update_ticket(ticket=ticket, actor=agent, expected_version=None, status=Status.SOLVED)
    rated = client.post(
        f"{BASE}{ticket.pk}/rate", {"rating": "bad", "comment": "slow"}, format="json"
    )
    assert rated.status_code == 200
    assert Ticket.objects.get(pk=ticket.pk).satisfaction == "bad"
    assert (
        client_for(agent)
        .post(f"{BASE}{ticket.pk}/rate", {"rating": "good"}, format="json")
        .status_code
        == 403
    )
