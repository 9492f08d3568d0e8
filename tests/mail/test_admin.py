"""Admin: received mail is listed and its original is downloadable by staff only."""

from __future__ import annotations

import pytest
from django.urls import reverse

from mail.services import ingest_email
from tests.mail.conftest import read_fixture

pytestmark = pytest.mark.django_db


def test_staff_download_the_original_message_as_an_attachment(client, admin_user):
    inbound = ingest_email(read_fixture("html_only.eml"), source="command")
    client.force_login(admin_user)
    page = client.get(reverse("admin:mail_inboundemail_change", args=[inbound.pk]))
    url = reverse("admin:mail_inboundemail_raw", args=[inbound.pk])
    assert page.status_code == 200 and url in page.content.decode()
    response = client.get(url)
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Content-Type"] == "application/octet-stream"
    assert b"".join(response.streaming_content) == read_fixture("html_only.eml")
    assert client.get(reverse("admin:mail_inboundemail_changelist")).status_code == 200
    assert client.get(reverse("admin:mail_mailbox_add")).status_code == 200


def test_agents_without_admin_access_cannot_download_it(client, agent):
    inbound = ingest_email(read_fixture("html_only.eml"), source="command")
    client.force_login(agent)
    response = client.get(reverse("admin:mail_inboundemail_raw", args=[inbound.pk]))
    assert response.status_code == 302  # to the admin login


def test_retry_action_processes_a_failed_message_after_its_attempts_ran_out(
    client, admin_user, monkeypatch
):
    from mail import services
    from mail.models import InboundEmail, InboundStatus

    original = services._route
    monkeypatch.setattr(services, "_route", lambda *a: (_ for _ in ()).throw(OSError("disk full")))
    inbound = ingest_email(read_fixture("html_only.eml"), source="command")
    InboundEmail.objects.filter(pk=inbound.pk).update(attempts=services.MAX_ATTEMPTS)
    monkeypatch.setattr(services, "_route", original)
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:mail_inboundemail_changelist"),
        {"action": "retry", "_selected_action": [inbound.pk]},
    )
    assert response.status_code == 302
    inbound.refresh_from_db()
    assert (inbound.status, inbound.attempts) == (InboundStatus.TICKET_CREATED, 1)
