"""The conversation through the API: replies, internal notes, attachments, untrusted text."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.tickets.test_api_helpers import client_for, make_queue, make_ticket, url
from tickets.models import Attachment, Message, MessageKind

pytestmark = pytest.mark.django_db
XSS = "<script>alert(1)</script><img src=x onerror=alert(2)> [x](javascript:alert(3))"


@pytest.fixture
def ticket(agent, customer):
    return make_ticket(requester=customer, queue=make_queue("Support", agent))


def _upload(name: str = "notes.txt") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"some text", content_type="text/plain")


def test_internal_notes_and_their_files_never_reach_the_customer(ticket, agent, customer):
    agents = client_for(agent)
    note = agents.post(
        url(ticket, "messages/"),
        {"body": "VIP, be nice", "internal": True, "files": [_upload("secret.txt")]},
        format="multipart",
    )
    assert note.status_code == 201 and note.json()["kind"] == "internal"
    assert (
        agents.post(url(ticket, "messages/"), {"body": "On it!"}, format="json").status_code == 201
    )
    seen = client_for(customer).get(url(ticket, "messages/")).json()["results"]
    assert [m["body"] for m in seen] == ["Where is it?", "On it!"]
    assert client_for(customer).get(url(ticket, "attachments/")).json() == []
    assert [a["filename"] for a in agents.get(url(ticket, "attachments/")).json()] == ["secret.txt"]
    all_kinds = [m["kind"] for m in agents.get(url(ticket, "messages/")).json()["results"]]
    assert all_kinds == ["public", "internal", "public"]


def test_a_customer_cannot_write_an_internal_note_or_set_the_status(ticket, customer):
    client = client_for(customer)
    for extra in ({"internal": True}, {"status": "solved"}, {"version": 1}):
        response = client.post(url(ticket, "messages/"), {"body": "x", **extra}, format="json")
        assert response.status_code == 400
        assert list(response.json()) == list(extra)
    upload = client.post(
        url(ticket, "attachments/"), {"files": [_upload()], "internal": True}, format="multipart"
    )
    assert upload.status_code == 400
    assert not Message.objects.filter(kind=MessageKind.INTERNAL).exists()


def test_send_and_set_status_with_a_version(ticket, agent):
    client = client_for(agent)
    response = client.post(
        url(ticket, "messages/"),
        {"body": "Fixed.", "status": "solved", "version": 1},
        format="json",
    )
    assert response.status_code == 201
    assert client.get(url(ticket)).json()["status"] == "solved"
    stale = client.post(url(ticket, "messages/"), {"body": "again", "version": 1}, format="json")
    assert stale.status_code == 409 and stale.json()["current"]["status"] == "solved"


def test_untrusted_text_is_stored_and_returned_as_data_and_rendered_sanitised(ticket, customer):
    client = client_for(customer)
    created = client.post("/api/v1/tickets/", {"subject": XSS[:60], "body": XSS}, format="json")
    assert created.json()["subject"] == XSS[:60]
    reply = client.post(url(ticket, "messages/"), {"body": XSS}, format="json").json()
    assert reply["body"] == XSS
    html = reply["body_html"]
    assert "<script" not in html and "onerror" not in html and "javascript:" not in html


def test_files_upload_as_a_message_and_list_with_their_download_links(ticket, customer):
    client = client_for(customer)
    response = client.post(
        url(ticket, "attachments/"), {"files": [_upload(), _upload("b.pdf")]}, format="multipart"
    )
    assert response.status_code == 201, response.content
    assert [a["filename"] for a in response.json()["attachments"]] == ["notes.txt", "b.pdf"]
    listed = client.get(url(ticket, "attachments/")).json()
    assert [a["size"] for a in listed] == [9, 9]
    assert Attachment.objects.filter(uploaded_by=customer).count() == 2
    for row, attachment in zip(listed, Attachment.objects.order_by("id"), strict=True):
        assert row["url"] in (None, _absolute_url(attachment))


def _absolute_url(attachment: Attachment) -> str | None:
    try:
        return attachment.get_absolute_url()
    except Exception:  # the download route is built by the attachments work
        return None


def test_blocked_files_are_refused_with_a_detail(ticket, customer):
    response = client_for(customer).post(
        url(ticket, "attachments/"), {"files": [_upload("run.exe")]}, format="multipart"
    )
    assert response.status_code == 400 and "cannot be attached" in response.json()["detail"]
