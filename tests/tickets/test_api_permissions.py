"""Who may touch which ticket through the API: others get 404 (never 403), everywhere."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.tickets.test_api_helpers import BASE, client_for, make_queue, make_ticket, url

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(make_user, agent, customer, admin_user):
    """Customer A's ticket in queue Q (agent is a member); customer B; an agent outside Q."""
    queue = make_queue("Support", agent)
    make_queue("Billing")
    ticket = make_ticket(requester=customer, queue=queue)
    return {
        "ticket": ticket,
        "owner": customer,
        "other_customer": make_user(role="customer"),
        "agent_in": agent,
        "agent_out": make_user(role="agent"),
        "admin": admin_user,
    }


def _requests(ticket) -> dict:
    upload = SimpleUploadedFile("a.txt", b"hello", content_type="text/plain")
    return {
        "detail": ("get", url(ticket), None, None),
        "messages": ("get", url(ticket, "messages/"), None, None),
        "reply": ("post", url(ticket, "messages/"), {"body": "hi"}, "json"),
        "attachments": ("get", url(ticket, "attachments/"), None, None),
        "upload": ("post", url(ticket, "attachments/"), {"files": [upload]}, "multipart"),
        "patch": ("patch", url(ticket), {"priority": "high", "version": 1}, "json"),
        "assign": ("post", f"{BASE}{ticket.pk}/assign", {"take": True}, "json"),
    }


def _call(client, method: str, path: str, data, fmt):
    return (
        getattr(client, method)(path, data, format=fmt) if data else getattr(client, method)(path)
    )


@pytest.mark.parametrize("who", ["other_customer", "agent_out"])
def test_nothing_is_revealed_when_the_user_may_not_see_the_ticket(world, who):
    client = client_for(world[who])
    for name, (method, path, data, fmt) in _requests(world["ticket"]).items():
        response = _call(client, method, path, data, fmt)
        assert response.status_code == 404, (name, response.status_code, response.content)


@pytest.mark.parametrize("who", ["agent_in", "admin"])
def test_agents_of_the_queue_and_admins_can_do_everything(world, who):
    client = client_for(world[who])
    for name, (method, path, data, fmt) in _requests(world["ticket"]).items():
        if name == "patch":
            data = {**data, "version": None}
            response = client.patch(
                path, {"priority": "high"}, format="json", HTTP_IF_MATCH=f'"{_version(world)}"'
            )
        else:
            response = _call(client, method, path, data, fmt)
        assert response.status_code in (200, 201), (name, response.content)


def _version(world) -> int:
    world["ticket"].refresh_from_db()
    return world["ticket"].version


def test_the_requester_reads_and_replies_but_cannot_change_fields(world):
    client = client_for(world["owner"])
    requests = _requests(world["ticket"])
    for name in ("detail", "messages", "reply", "attachments", "upload"):
        method, path, data, fmt = requests[name]
        assert _call(client, method, path, data, fmt).status_code in (200, 201), name
    for name in ("patch", "assign"):
        method, path, data, fmt = requests[name]
        assert _call(client, method, path, data, fmt).status_code == 403, name


def test_the_list_holds_only_what_each_user_may_see(world, make_user):
    other = make_ticket(email="b@example.com", queue=world["ticket"].queue)
    hidden = make_ticket(email="c@example.com", queue=make_queue("Secret"))
    seen = {
        who: {row["id"] for row in client_for(world[who]).get(BASE).json()["results"]}
        for who in ("owner", "other_customer", "agent_in", "agent_out", "admin")
    }
    ticket = world["ticket"].pk
    assert seen["owner"] == {ticket}
    assert seen["other_customer"] == set()
    assert seen["agent_in"] == {ticket, other.pk}
    assert seen["agent_out"] == set()
    assert seen["admin"] == {ticket, other.pk, hidden.pk}


def test_anonymous_callers_get_401(world):
    client = client_for(None)
    assert client.get(BASE).status_code == 401
    assert client.get(url(world["ticket"])).status_code == 401
    assert client.post(BASE, {"subject": "x", "body": "y"}, format="json").status_code == 401


def test_customers_do_not_see_agent_only_fields(world):
    body = client_for(world["owner"]).get(url(world["ticket"])).json()
    assert {"queue", "assignee", "tags", "priority", "requester", "links"}.isdisjoint(body)
    assert body["reference"] == world["ticket"].reference


def test_lookups_are_for_agents_only(world):
    for path in ("/api/v1/queues/", "/api/v1/canned-responses/"):
        assert client_for(world["owner"]).get(path).status_code == 403
        assert client_for(world["agent_in"]).get(path).status_code == 200
