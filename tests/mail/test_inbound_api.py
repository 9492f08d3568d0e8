"""The HTTP inbound endpoint: shared-secret authentication, raw or form bodies, rate limited."""

from __future__ import annotations

import base64

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from mail.models import InboundEmail
from tests.mail.conftest import read_fixture
from tickets.models import Ticket

pytestmark = pytest.mark.django_db
URL = "/api/v1/mail/inbound/"
AUTH = {"HTTP_AUTHORIZATION": "Bearer inbound-secret-for-tests"}


@pytest.fixture(autouse=True)
def _commit(django_capture_on_commit_callbacks, monkeypatch):
    """Processing is queued after the request commits: run it then, as production does."""
    original = Client.post

    def post(self, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return original(self, *args, **kwargs)

    monkeypatch.setattr(Client, "post", post)


def post_raw(client, raw: bytes, **headers):
    return client.post(URL, data=raw, content_type="message/rfc822", **headers)


def test_a_raw_message_with_the_secret_opens_a_ticket(client):
    response = post_raw(client, read_fixture("gmail_new_multipart_alternative.eml"), **AUTH)
    assert response.status_code == 202
    inbound = InboundEmail.objects.get()
    assert response.json() == {
        "id": inbound.pk,
        "status": "pending",
        "ticket": None,
        "duplicate": False,
    }
    assert inbound.status == "ticket_created" and inbound.ticket == Ticket.objects.get()


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"HTTP_AUTHORIZATION": "Bearer wrong"},
        {"HTTP_AUTHORIZATION": "Token inbound-secret-for-tests"},
    ],
)
def test_without_the_right_secret_nothing_is_stored(client, headers):
    response = post_raw(client, read_fixture("gmail_new_multipart_alternative.eml"), **headers)
    assert response.status_code == 401
    assert not InboundEmail.objects.exists()


def test_the_endpoint_is_off_when_no_secret_is_configured(client, settings):
    settings.MAIL_INBOUND_SECRET = ""
    response = post_raw(client, read_fixture("html_only.eml"), HTTP_AUTHORIZATION="Bearer ")
    assert response.status_code == 401


def test_basic_auth_with_the_secret_as_password_works(client):
    token = base64.b64encode(b"mailgun:inbound-secret-for-tests").decode()
    response = post_raw(client, read_fixture("html_only.eml"), HTTP_AUTHORIZATION=f"Basic {token}")
    assert response.status_code == 202


def test_providers_posting_the_mime_message_as_a_form_field_or_file_work(client):
    raw = read_fixture("html_only.eml")
    response = client.post(URL, {"body-mime": raw.decode()}, **AUTH)
    assert response.status_code == 202 and Ticket.objects.count() == 1
    upload = SimpleUploadedFile("email.eml", read_fixture("charset_gb2312.eml"))
    response = client.post(URL, {"email": upload}, **AUTH)
    assert response.status_code == 202
    assert Ticket.objects.filter(subject="订单没有到").exists()


def test_a_retried_delivery_answers_duplicate_and_changes_nothing(client):
    raw = read_fixture("gmail_new_multipart_alternative.eml")
    post_raw(client, raw, **AUTH)
    response = post_raw(client, raw, **AUTH)
    assert response.status_code == 200
    assert response.json()["duplicate"] is True
    assert response.json()["status"] == "ticket_created"
    assert response.json()["ticket"] == Ticket.objects.get().reference


def test_an_auto_reply_is_accepted_but_ignored(client):
    response = post_raw(client, read_fixture("autoreply_auto_submitted.eml"), **AUTH)
    assert response.status_code == 202
    assert InboundEmail.objects.get().status == "ignored"
    assert not Ticket.objects.exists()


def test_something_that_is_not_a_message_is_a_400(client):
    response = post_raw(client, b"hello", **AUTH)
    assert response.status_code == 400


def test_the_endpoint_is_rate_limited_per_address(client, settings):
    settings.MAIL_INBOUND_RATE = "2/m"
    codes = [
        post_raw(client, b"x", HTTP_AUTHORIZATION="Bearer wrong").status_code for _ in range(3)
    ]
    assert codes == [401, 401, 429]


def test_the_endpoint_is_in_the_api_schema(client, agent):
    client.force_login(agent)
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/json")
    assert schema.status_code == 200
    assert "/api/v1/mail/inbound/" in schema.json()["paths"]


def test_a_body_far_beyond_the_size_limit_is_refused_unread(client, settings):
    settings.MAIL_MAX_MESSAGE_BYTES = 1000
    response = post_raw(client, b"x" * 2500, **AUTH)
    assert response.status_code == 413
    assert not InboundEmail.objects.exists()
