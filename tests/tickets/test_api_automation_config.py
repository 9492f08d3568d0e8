"""The configuration API: admins only, model validation applied, SLA state on tickets."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from tests.tickets.automation_factories import make_policy
from tests.tickets.factories import make_queue, make_ticket
from tickets.models import AgentStatus, Automation, BusinessHours, Macro, SlaPolicy, Webhook

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


def _as(api: APIClient, user) -> APIClient:
    api.force_authenticate(user)
    return api


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/calendars/",
        "/api/v1/sla-policies/",
        "/api/v1/automations/",
        "/api/v1/webhooks/",
        "/api/v1/admin/macros/",
    ],
)
def test_configuration_is_for_admins_only(api, agent, customer, path):
    assert api.get(path).status_code in (401, 403)
    assert _as(api, agent).get(path).status_code == 403
    assert _as(api, customer).post(path, {}, format="json").status_code == 403


def test_an_admin_creates_a_calendar_with_holidays_and_bad_hours_are_refused(api, admin_user):
    _as(api, admin_user)
    good = {
        "name": "Helsinki",
        "timezone": "Europe/Helsinki",
        "weekly_hours": {"0": [["09:00", "17:00"]]},
        "holidays": [{"date": "2026-12-24", "name": "Christmas Eve"}],
    }
    response = api.post("/api/v1/calendars/", good, format="json")
    assert response.status_code == 201, response.data
    calendar = BusinessHours.objects.get()
    assert [str(h.date) for h in calendar.holidays.all()] == ["2026-12-24"]
    for bad in (
        {"weekly_hours": {"0": [["17:00", "09:00"]]}},
        {"timezone": "Mars/Olympus"},
        {"weekly_hours": {"9": [["09:00", "10:00"]]}},
        {"weekly_hours": {}},
    ):
        response = api.post("/api/v1/calendars/", {**good, "name": "x", **bad}, format="json")
        assert response.status_code == 400, bad


def test_an_sla_policy_is_validated_and_applies_to_new_tickets(api, admin_user, clock):
    queue = make_queue("Support")
    _as(api, admin_user)
    body = {
        "name": "Urgent",
        "priorities": ["urgent"],
        "queues": [queue.pk],
        "first_response_minutes": 15,
    }
    assert (
        api.post(
            "/api/v1/sla-policies/", {**body, "priorities": ["asap"]}, format="json"
        ).status_code
        == 400
    )
    response = api.post("/api/v1/sla-policies/", body, format="json")
    assert response.status_code == 201, response.data
    ticket = make_ticket(queue=queue, priority="urgent")
    data = api.get(f"/api/v1/tickets/{ticket.pk}/").json()
    assert data["sla"]["policy"] == response.data["id"]
    assert data["sla"]["targets"]["first_response"]["due_at"] == "2026-03-02T08:15:00Z"
    assert data["sla"]["targets"]["first_response"]["seconds_left"] == 15 * 60


def test_customers_do_not_see_sla_state(api, customer, clock):
    make_policy()
    ticket = make_ticket(email=customer.email, user=customer)
    data = _as(api, customer).get(f"/api/v1/tickets/{ticket.pk}/").json()
    assert "sla" not in data


def test_sla_state_in_the_ticket_list_costs_no_extra_query(api, agent, clock):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    make_policy()
    queue = make_queue("Support", members=[agent])
    _as(api, agent)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            rows = api.get("/api/v1/tickets/?page_size=100").json()["results"]
        assert all(row["sla"]["policy"] for row in rows)
        return len(ctx)

    make_ticket(queue=queue)
    count()  # warm up: the per-process config caches (SLA, queue members) load once
    few = count()
    for n in range(10):
        make_ticket(queue=queue, email=f"c{n}@example.com")
    assert count() == few


def test_a_webhook_to_a_private_address_is_refused_by_the_api(api, admin_user):
    _as(api, admin_user)
    response = api.post(
        "/api/v1/webhooks/",
        {"name": "x", "url": "http://10.0.0.1/hook", "events": ["ticket.created"]},
        format="json",
    )
    assert response.status_code == 400 and "url" in response.data
    assert not Webhook.objects.exists()


def test_an_automation_is_validated_and_previewed_without_changes(api, admin_user, agent):
    _as(api, admin_user)
    bad = {"name": "x", "trigger": "created", "actions": [{"action": "explode"}]}
    assert api.post("/api/v1/automations/", bad, format="json").status_code == 400
    body = {
        "name": "Urgent VIP",
        "trigger": "created",
        "conditions": [{"field": "subject", "op": "contains", "value": "down"}],
        "actions": [{"action": "set_priority", "value": "urgent"}],
    }
    response = api.post("/api/v1/automations/", body, format="json")
    assert response.status_code == 201
    Automation.objects.update(is_active=False)
    ticket = make_ticket(queue=make_queue("Support"), subject="Site is down")
    rows = api.post(f"/api/v1/automations/{response.data['id']}/preview").json()
    assert [r["ticket"] for r in rows] == [ticket.pk]
    ticket.refresh_from_db()
    assert ticket.priority == "normal"


def test_an_admin_sets_a_queues_routing(api, admin_user, agent):
    queue = make_queue("Support")
    _as(api, admin_user)
    response = api.patch(
        f"/api/v1/queues/{queue.pk}/routing", {"routing_strategy": "least_loaded"}, format="json"
    )
    assert response.status_code == 200 and response.data["routing_strategy"] == "least_loaded"
    assert (
        api.patch(
            f"/api/v1/queues/{queue.pk}/routing", {"routing_strategy": "random"}, format="json"
        ).status_code
        == 400
    )
    assert _as(APIClient(), agent).get(f"/api/v1/queues/{queue.pk}/routing").status_code == 403


def test_an_agent_goes_online_with_capacity_and_skills(api, agent):
    _as(api, agent)
    response = api.put(
        "/api/v1/agents/me/status",
        {"availability": "online", "capacity": 3, "skills": ["fi", "billing"]},
        format="json",
    )
    assert response.status_code == 200, response.data
    status = AgentStatus.objects.get(pk=agent.pk)
    assert (status.availability, status.capacity, status.skills) == ("online", 3, ["billing", "fi"])
    assert (
        api.put("/api/v1/agents/me/status", {"availability": "busy"}, format="json").status_code
        == 400
    )


def test_an_agent_applies_a_macro_with_a_version_check(api, agent):
    queue = make_queue("Support", members=[agent])
    macro = Macro.objects.create(
        name="Escalate",
        actions=[
            {"action": "set_priority", "value": "urgent"},
            {"action": "add_note", "value": "Paged."},
        ],
    )
    ticket = make_ticket(queue=queue)
    _as(api, agent)
    url = f"/api/v1/tickets/{ticket.pk}/macros/{macro.pk}/apply"
    assert api.post(url, {"version": 99}, format="json").status_code == 409
    response = api.post(url, {"version": ticket.version}, format="json")
    assert response.status_code == 200 and response.data["priority"] == "urgent"
    assert [m["name"] for m in api.get("/api/v1/macros/").json()] == ["Escalate"]


def test_sla_policies_can_be_listed_and_deleted(api, admin_user):
    policy = make_policy()
    _as(api, admin_user)
    assert [p["id"] for p in api.get("/api/v1/sla-policies/").json()] == [policy.pk]
    assert api.delete(f"/api/v1/sla-policies/{policy.pk}/").status_code == 204
    assert not SlaPolicy.objects.exists()


def test_a_macro_broken_around_validation_is_a_400_not_a_crash(api, agent):
    macro = Macro.objects.create(name="Broken", actions=[{"action": "explode"}])
    ticket = make_ticket(queue=make_queue("Support", members=[agent]))
    response = _as(api, agent).post(f"/api/v1/tickets/{ticket.pk}/macros/{macro.pk}/apply")
    assert response.status_code == 400 and "unknown action" in response.data["macro"]


def test_the_ticket_list_filters_by_sla_like_the_desk(api, agent, clock):
    from tickets.services.sla_check import check_sla_deadlines

    make_policy("Urgent", position=1, priorities=["urgent"], first_response_minutes=10)
    make_policy("Normal", position=2, first_response_minutes=600)
    queue = make_queue("Support", members=[agent])
    urgent = make_ticket(queue=queue, priority="urgent", email="a@example.com")
    make_ticket(queue=queue, email="b@example.com")
    clock.advance(minutes=11)
    check_sla_deadlines()
    _as(api, agent)
    ids = [row["id"] for row in api.get("/api/v1/tickets/?breaching=true").json()["results"]]
    assert ids == [urgent.pk]
    rows = api.get("/api/v1/tickets/?sla_status=breached").json()["results"]
    assert [row["id"] for row in rows] == [urgent.pk]
    assert api.get("/api/v1/tickets/?sla_status=late").status_code == 400


def test_a_macro_for_another_queue_cannot_be_applied_through_the_api(api, agent):
    # Like the desk: only the ticket's queue's macros (and unscoped ones) apply to it.
    ticket = make_ticket(queue=make_queue("Support", members=[agent]))
    sales = Macro.objects.create(
        name="Sales only",
        queue=make_queue("Sales"),
        actions=[{"action": "set_priority", "value": "low"}],
    )
    response = _as(api, agent).post(f"/api/v1/tickets/{ticket.pk}/macros/{sales.pk}/apply")
    assert response.status_code == 404
    ticket.refresh_from_db()
    assert ticket.priority == "normal"
