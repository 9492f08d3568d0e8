"""Admin pages for routing, SLA, automations and webhooks: they load, preview, resend."""

from __future__ import annotations

import pytest

from tests.tickets.automation_factories import make_policy, office_hours
from tests.tickets.factories import make_queue, make_ticket
from tickets.models import Automation, Macro, Ticket, Webhook, WebhookDelivery

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "model",
    [
        "businesshours",
        "slapolicy",
        "ticketsla",
        "agentstatus",
        "automation",
        "macro",
        "webhook",
        "webhookdelivery",
        "queue",
    ],
)
def test_the_changelist_and_add_pages_load(client, admin_user, model):
    make_policy(calendar=office_hours())
    make_ticket(queue=make_queue("Support"))
    client.force_login(admin_user)
    assert client.get(f"/admin/tickets/{model}/").status_code == 200
    add = client.get(f"/admin/tickets/{model}/add/")
    assert add.status_code in (200, 403)


def test_the_dry_run_page_lists_matches_and_changes_nothing(client, admin_user):
    automation = Automation.objects.create(
        name="Close spam",
        trigger="scheduled",
        conditions=[{"field": "subject", "op": "contains", "value": "casino"}],
        actions=[{"action": "set_status", "value": "closed"}],
    )
    spam = make_ticket(queue=make_queue("Support"), subject="Casino bonus")
    client.force_login(admin_user)
    page = client.get(f"/admin/tickets/automation/{automation.pk}/preview/")
    assert page.status_code == 200
    assert spam.reference in page.content.decode() and "set status: closed" in page.content.decode()
    assert Ticket.objects.get(pk=spam.pk).status == "new"


def test_a_webhook_to_a_private_address_cannot_be_saved_in_admin(client, admin_user):
    client.force_login(admin_user)
    response = client.post(
        "/admin/tickets/webhook/add/",
        {
            "name": "Internal",
            "url": "http://192.168.0.10/hook",
            "secret": "x" * 20,
            "events": '["ticket.created"]',
            "is_active": "on",
        },
    )
    assert response.status_code == 200 and "private or local" in response.content.decode()
    assert not Webhook.objects.exists()


def test_failed_deliveries_can_be_sent_again_from_the_log(client, admin_user, settings):
    hook = Webhook.objects.create(name="CRM", url="http://127.0.0.1:9/", events=["*"])
    failed = WebhookDelivery.objects.create(
        webhook=hook, event="ticket.created", payload={"event": "ticket.created"}, status="failed"
    )
    client.force_login(admin_user)
    response = client.post(
        "/admin/tickets/webhookdelivery/",
        {
            "action": "send_again",
            "_selected_action": [failed.pk],
        },
    )
    assert response.status_code == 302
    assert WebhookDelivery.objects.filter(webhook=hook).count() == 2


def test_a_malformed_macro_is_refused_in_admin(client, admin_user):
    client.force_login(admin_user)
    response = client.post(
        "/admin/tickets/macro/add/",
        {
            "name": "Bad",
            "is_active": "on",
            "actions": '[{"action": "explode"}]',
        },
    )
    assert response.status_code == 200 and "unknown action" in response.content.decode()
    assert not Macro.objects.exists()


def test_the_dry_run_page_is_forbidden_without_view_permission(client, make_user):
    automation = Automation.objects.create(
        name="Close spam",
        trigger="scheduled",
        conditions=[],
        actions=[{"action": "set_status", "value": "closed"}],
    )
    client.force_login(make_user(role="agent", email="staff@example.com", is_staff=True))
    assert client.get(f"/admin/tickets/automation/{automation.pk}/preview/").status_code == 403
