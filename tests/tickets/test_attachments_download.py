"""Ticket files are served only to who may see them, and always as a download."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.tickets.factories import make_queue, make_ticket
from tickets.models import Attachment
from tickets.services import add_message
from tickets.tokens import make_ticket_token

pytestmark = pytest.mark.django_db


@pytest.fixture
def queue(agent):
    return make_queue("Support", members=[agent], is_default=True)


@pytest.fixture
def ticket(customer, queue):
    return make_ticket(email=customer.email, user=customer, queue=queue,
                       files=[SimpleUploadedFile("invoice.pdf", b"%PDF-1.4 data")])  # fmt: skip


@pytest.fixture
def public_file(ticket) -> Attachment:
    return ticket.attachments.get()


@pytest.fixture
def note_file(ticket, agent) -> Attachment:
    files = [SimpleUploadedFile("scan.txt", b"secret")]
    note = add_message(ticket=ticket, body="See the scan", author_user=agent, is_internal=True,
                       files=files)  # fmt: skip
    return note.attachments.get()


def open_link(client, ticket) -> None:
    token = make_ticket_token(ticket_id=ticket.pk, contact_id=ticket.requester_id)
    client.get(f"/en/portal/t/{token}/")


def test_requester_downloads_a_public_file_with_safe_headers(client, customer, public_file):
    client.force_login(customer)
    response = client.get(public_file.get_absolute_url())
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 data"
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"] == (
        "attachment; filename=\"invoice.pdf\"; filename*=UTF-8''invoice.pdf"
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"


def test_agent_who_sees_the_ticket_downloads_public_and_internal_files(
    client, agent, public_file, note_file
):
    client.force_login(agent)
    assert client.get(public_file.get_absolute_url()).status_code == 200
    assert client.get(note_file.get_absolute_url()).status_code == 200


def test_404_for_an_agent_outside_the_tickets_queue(client, make_user, public_file):
    outsider = make_user(role="agent")
    make_queue("Billing", members=[outsider])
    client.force_login(outsider)
    assert client.get(public_file.get_absolute_url()).status_code == 404


@pytest.mark.parametrize("who", ["anonymous", "other_customer"])
def test_404_when_someone_else_asks_for_a_customers_file(client, make_user, who, public_file):
    if who == "other_customer":
        client.force_login(make_user(role="customer"))
    assert client.get(public_file.get_absolute_url()).status_code == 404


def test_magic_link_session_downloads_that_tickets_public_files_only(
    client, ticket, public_file, note_file
):
    open_link(client, ticket)
    assert client.get(public_file.get_absolute_url()).status_code == 200
    assert client.get(note_file.get_absolute_url()).status_code == 404


def test_404_when_the_magic_link_was_for_another_ticket(client, public_file):
    other = make_ticket(email="bea@example.com", subject="Other")
    open_link(client, other)
    assert client.get(public_file.get_absolute_url()).status_code == 404


def test_404_for_the_requester_when_the_file_belongs_to_an_internal_note(
    client, customer, note_file
):
    client.force_login(customer)
    assert client.get(note_file.get_absolute_url()).status_code == 404


def test_404_when_the_filename_in_the_address_is_wrong(client, customer, public_file):
    client.force_login(customer)
    assert client.get(f"/tickets/files/{public_file.pk}/other.pdf").status_code == 404


def test_unicode_and_markup_filenames_are_encoded_when_downloaded(client, customer):
    name = 'فاتورة "<b>x<i>".pdf'
    ticket = make_ticket(email=customer.email, user=customer,
                         files=[SimpleUploadedFile(name, b"data")])  # fmt: skip
    client.force_login(customer)
    response = client.get(ticket.attachments.get().get_absolute_url())
    assert response["Content-Disposition"] == (
        'attachment; filename="______ _<b>x<i>_.pdf"; '
        "filename*=UTF-8''%D9%81%D8%A7%D8%AA%D9%88%D8%B1%D8%A9%20%22%3Cb%3Ex%3Ci%3E%22.pdf"
    )
