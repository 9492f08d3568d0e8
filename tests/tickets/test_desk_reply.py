"""Replying from the ticket page: public reply, internal note, send-and-set-status, canned text."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.tickets.factories import make_queue, make_ticket
from tickets.models import CannedResponse, MessageKind, Status

pytestmark = pytest.mark.django_db


@pytest.fixture
def ticket(client, agent):
    queue = make_queue("Support", members=[agent])
    client.force_login(agent)
    return make_ticket(queue=queue, name="Casey Jones")


def _post(client, ticket, **data):
    data = {"kind": "public", "version": ticket.version, **data}
    return client.post(f"/desk/tickets/{ticket.pk}/reply/", data)


def test_public_reply_is_sent_and_ticket_waits_on_customer_when_agent_replies(client, ticket):
    response = _post(client, ticket, body="We are on it.")
    assert response.status_code == 302 and response["Location"] == f"/desk/tickets/{ticket.pk}/"
    ticket.refresh_from_db()
    assert ticket.messages.last().kind == MessageKind.PUBLIC and ticket.status == Status.PENDING
    page = client.get(response["Location"]).content.decode()
    assert "We are on it." in page and "Reply sent." in page


def test_internal_note_is_labelled_and_keeps_status_when_agent_adds_a_note(client, ticket):
    _post(client, ticket, kind="internal", body="Check the courier.")
    ticket.refresh_from_db()
    assert ticket.messages.last().kind == MessageKind.INTERNAL and ticket.status == Status.NEW
    html = client.get(f"/desk/tickets/{ticket.pk}/").content.decode()
    assert "entry-internal" in html and "Internal note" in html


def test_status_is_set_with_the_reply_when_send_and_set_status_is_used(client, ticket):
    _post(client, ticket, body="Refunded.", new_status=Status.SOLVED)
    ticket.refresh_from_db()
    assert ticket.status == Status.SOLVED


def test_attachment_is_stored_when_sent_with_a_reply(client, ticket):
    upload = SimpleUploadedFile("invoice.pdf", b"%PDF-1.4", content_type="application/pdf")
    _post(client, ticket, body="See attached.", files=[upload])
    attachment = ticket.attachments.get()
    assert attachment.filename == "invoice.pdf"
    page = client.get(f"/desk/tickets/{ticket.pk}/").content.decode()
    link = reverse("ticket-attachment", kwargs={"pk": attachment.pk, "filename": "invoice.pdf"})
    assert f'<a href="{link}">invoice.pdf</a>' in page  # under the message it came with


def test_error_is_shown_and_nothing_sent_when_the_reply_is_empty(client, ticket):
    response = _post(client, ticket, body="   ")
    assert response.status_code == 400 and "The message is empty." in response.content.decode()
    assert ticket.messages.count() == 1


def test_canned_text_is_filled_and_added_to_the_draft_when_inserted_without_js(
    client, ticket, agent
):
    canned = CannedResponse.objects.create(
        title="Thanks", body="Hi {{ customer.name }}, about {{ticket.reference}}: {{ agent.name }}"
    )
    response = _post(client, ticket, body="My draft", canned=canned.pk, insert_canned="1")
    assert response.status_code == 200
    body = response.context["compose"]["body"].value()
    assert body == f"My draft\n\nHi Casey Jones, about {ticket.reference}: {agent.get_full_name()}"
    assert ticket.messages.count() == 1


def test_canned_options_carry_the_filled_text_when_the_page_renders(client, ticket):
    CannedResponse.objects.create(title="Hello", body="Dear {{ customer.name }}")
    CannedResponse.objects.create(title="Other queue", body="x", queue=make_queue("Elsewhere"))
    html = client.get(f"/desk/tickets/{ticket.pk}/").content.decode()
    assert 'data-body="Dear Casey Jones"' in html and "Other queue" not in html


def test_canned_responses_edited_after_the_page_was_cached_show_up(client, ticket):
    first = CannedResponse.objects.create(title="Hello", body="Hi")
    assert "Hello" in client.get(f"/desk/tickets/{ticket.pk}/").content.decode()
    CannedResponse.objects.create(title="Refund steps", body="Go to orders")
    first.title = "Greeting"
    first.save()
    page = client.get(f"/desk/tickets/{ticket.pk}/").content.decode()
    assert "Refund steps" in page and "Greeting" in page and ">Hello<" not in page
    first.delete()
    assert "Greeting" not in client.get(f"/desk/tickets/{ticket.pk}/").content.decode()


def test_reply_is_refused_with_text_kept_when_the_ticket_is_closed(client, ticket, agent):
    _post(client, ticket, body="Closing.", new_status=Status.CLOSED)
    ticket.refresh_from_db()
    response = _post(client, ticket, body="One more thing")
    assert response.status_code == 400
    assert "is closed" in response.content.decode()
