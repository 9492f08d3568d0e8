"""Opening tickets through the API: agents for a requester, customers for themselves, retries."""

from __future__ import annotations

import threading

import pytest
from django.db import connections

from customers.models import Contact
from tests.tickets.test_api_helpers import BASE, client_for, make_queue
from tickets.models import Message, Ticket

pytestmark = pytest.mark.django_db

BODY = {"subject": "Broken zip", "body": "The zip on my bag broke."}


def test_an_agent_opens_a_ticket_for_a_requester(agent):
    queue = make_queue("Support", agent)
    response = client_for(agent).post(
        BASE,
        {**BODY, "requester_email": "Pat@Example.com", "requester_name": "Pat", "queue": queue.pk,
         "priority": "high", "tags": ["Zips", "bags"], "channel": "phone"},
        format="json",
    )  # fmt: skip
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["requester"]["email"] == "pat@example.com"
    assert (data["queue"]["id"], data["priority"], data["channel"]) == (queue.pk, "high", "phone")
    assert data["tags"] == ["bags", "zips"]
    assert response["ETag"] == '"1"'
    assert response["Location"].endswith(f"/api/v1/tickets/{data['id']}/")


def test_a_customer_opens_a_ticket_for_themselves_on_the_api_channel(customer):
    response = client_for(customer).post(BASE, BODY, format="json")
    assert response.status_code == 201, response.content
    ticket = Ticket.objects.get(pk=response.json()["id"])
    assert ticket.requester == Contact.objects.get(user=customer)
    assert ticket.channel == "api"
    assert ticket.messages.get().author_contact == ticket.requester


@pytest.mark.parametrize(
    "field, value",
    [("assignee", 1), ("queue", 1), ("priority", "urgent"), ("tags", ["vip"]),
     ("internal", True), ("requester_email", "victim@example.com"), ("status", "closed")],
)  # fmt: skip
def test_customers_get_400_naming_a_field_they_may_not_set(customer, agent, field, value):
    make_queue("Support", agent)
    response = client_for(customer).post(BASE, {**BODY, field: value}, format="json")
    assert response.status_code == 400
    assert response.json() == {field: ["This field cannot be set here."]}
    assert not Ticket.objects.exists()


def test_a_retried_create_returns_the_same_ticket_once(customer):
    client = client_for(customer)
    first = client.post(BASE, BODY, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    again = client.post(BASE, BODY, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json() == again.json()
    assert Ticket.objects.count() == 1
    assert Message.objects.count() == 1


def test_a_key_reused_for_a_different_request_is_422(customer):
    client = client_for(customer)
    client.post(BASE, BODY, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    response = client.post(
        BASE, {**BODY, "body": "Something else"}, format="json", HTTP_IDEMPOTENCY_KEY="k-1"
    )
    assert response.status_code == 422
    assert "already used for a different request" in response.json()["detail"]
    assert Ticket.objects.count() == 1


def test_keys_are_scoped_per_user(customer, make_user):
    other = make_user(role="customer")
    client_for(customer).post(BASE, BODY, format="json", HTTP_IDEMPOTENCY_KEY="same")
    response = client_for(other).post(BASE, BODY, format="json", HTTP_IDEMPOTENCY_KEY="same")
    assert response.status_code == 201
    assert Ticket.objects.count() == 2


def test_field_errors_are_readable(agent):
    response = client_for(agent).post(BASE, {"subject": "", "requester_email": "x"}, format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"subject", "body", "requester_email"}


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_ten_concurrent_identical_creates_make_exactly_one_ticket(agent):
    make_queue("Support", agent)
    payload = {**BODY, "requester_email": "race@example.com"}
    barrier, results = threading.Barrier(10), []

    def post() -> None:
        try:
            client = client_for(agent)
            barrier.wait()
            response = client.post(BASE, payload, format="json", HTTP_IDEMPOTENCY_KEY="race-1")
            results.append((response.status_code, response.json()["id"]))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=post) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == 10
    assert {code for code, _ in results} <= {200, 201}
    assert len({pk for _, pk in results}) == 1
    assert Ticket.objects.count() == 1


def _same_as_a_fresh_read(client, created: dict) -> None:
    fresh = client.get(f"{BASE}{created['id']}/").json()
    assert created == fresh


def test_the_201_body_is_what_a_fresh_read_returns(agent, make_user):
    from tickets.services.routing import set_availability

    queue = make_queue("Support", agent)
    queue.routing_strategy = "least_loaded"
    queue.save()
    set_availability(user=agent, availability="online")
    client = client_for(agent)
    response = client.post(
        BASE, {**BODY, "requester_email": "kim@example.com", "queue": queue.pk, "tags": ["zip"]},
        format="json",
    )  # fmt: skip
    assert response.status_code == 201, response.content
    assert response.json()["assignee"]["id"] == agent.pk  # routed
    _same_as_a_fresh_read(client, response.json())


def test_the_201_body_shows_what_a_created_automation_changed(agent):
    from tickets.models import Automation

    queue = make_queue("Support", agent)
    automation = Automation(
        name="Urgent zips", trigger="created", conditions=[],
        actions=[{"action": "set_priority", "value": "urgent"}, {"action": "add_tags",
                                                                  "value": ["auto"]}],
    )  # fmt: skip
    automation.full_clean()
    automation.save()
    client = client_for(agent)
    response = client.post(
        BASE, {**BODY, "requester_email": "kim@example.com", "queue": queue.pk}, format="json"
    )
    assert response.status_code == 201, response.content
    assert response.json()["priority"] == "urgent" and response.json()["tags"] == ["auto"]
    _same_as_a_fresh_read(client, response.json())
