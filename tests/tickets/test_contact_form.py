"""The public contact form: a ticket without an account, safely, once, with a magic link."""

import uuid

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.tickets.factories import make_queue
from tickets.models import Priority, Ticket

pytestmark = pytest.mark.django_db
URL = "/en/contact/"


def form_data(**overrides) -> dict:
    data = {
        "name": "Casey",
        "email": "casey@example.com",
        "subject": "My parcel has not arrived",
        "message": "Order NW-12345 was due last week.",
        "form_id": str(uuid.uuid4()),
        "website": "",
    }
    return data | overrides


def test_form_is_offered_with_suggestions_region_and_no_inline_script_when_opened(client):
    html = client.get(URL).content.decode()
    assert 'enctype="multipart/form-data"' in html
    assert 'aria-live="polite"' in html and "/api/v1/search/suggest" in html
    assert '<script src="/static/tickets/contact.js" defer></script>' in html
    assert "<script>" not in html


def test_ticket_is_opened_and_reference_confirmed_when_form_is_valid(client):
    response = client.post(URL, form_data(), follow=True)
    ticket = Ticket.objects.get()
    assert (ticket.subject, ticket.channel, ticket.requester.email) == (
        "My parcel has not arrived", "web", "casey@example.com",
    )  # fmt: skip
    assert response.redirect_chain[-1][0] == "/en/contact/sent/"
    assert ticket.reference in response.content.decode()
    assert response["Cache-Control"].count("no-store") == 1


def test_attachments_are_stored_when_several_files_are_sent(client):
    files = [SimpleUploadedFile("a.txt", b"one"), SimpleUploadedFile("b.png", b"two")]
    client.post(URL, form_data(attachments=files))
    ticket = Ticket.objects.get()
    assert sorted(a.filename for a in ticket.attachments.all()) == ["a.txt", "b.png"]


def test_only_one_ticket_is_made_when_the_same_form_is_sent_twice(client):
    data = form_data()
    client.post(URL, data)
    client.post(URL, data)
    assert Ticket.objects.count() == 1


def test_a_form_sent_twice_with_a_file_stores_the_file_once(client, settings):
    from pathlib import Path

    def stored() -> set[Path]:
        return {p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()}

    before, data = stored(), form_data()
    for _ in range(2):
        client.post(URL, data | {"attachments": [SimpleUploadedFile("a.txt", b"one")]})
    ticket = Ticket.objects.get()
    assert [a.filename for a in ticket.attachments.all()] == ["a.txt"]
    assert [p.read_bytes() for p in stored() - before] == [b"one"]


def test_the_form_can_be_sent_again_when_its_id_was_used_for_other_text(client):
    data = form_data()
    client.post(URL, data)
    response = client.post(URL, data | {"message": "Something else entirely"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Something else entirely" in html and data["form_id"] not in html


def test_nothing_is_stored_when_the_honeypot_is_filled(client):
    response = client.post(URL, form_data(website="http://spam.example"))
    assert response.status_code == 302 and response["Location"] == "/en/contact/sent/"
    assert Ticket.objects.count() == 0


def test_visitor_gets_a_friendly_429_when_posting_too_often(client):
    for _ in range(10):
        client.post(URL, form_data(website="bot"))
    response = client.post(URL, form_data())
    assert response.status_code == 429
    assert "Too many messages" in response.content.decode()
    assert Ticket.objects.count() == 0


def test_typed_text_is_kept_when_an_attachment_is_too_large(client, settings):
    settings.MAX_ATTACHMENT_BYTES = 10
    big = SimpleUploadedFile("scan.pdf", b"x" * 11)
    response = client.post(URL, form_data(message="Long story here", attachments=[big]))
    html = response.content.decode()
    assert response.status_code == 400 and Ticket.objects.count() == 0
    assert "“scan.pdf” is 11\xa0bytes; files can be at most 10\xa0bytes." in html
    assert "Long story here" in html and 'value="My parcel has not arrived"' in html
    assert "please attach them again" in html
    assert 'aria-invalid="true"' in html


def test_errors_are_named_when_required_fields_are_missing(client):
    response = client.post(URL, form_data(email="not-an-email", subject=""))
    html = response.content.decode()
    assert response.status_code == 400
    assert 'href="#id_email"' in html and 'href="#id_subject"' in html


def test_agent_fields_are_ignored_when_a_visitor_posts_them(client, agent):
    queue = make_queue("Billing")
    make_queue("Support", is_default=True)
    extra = {"assignee": agent.pk, "queue": queue.pk, "priority": Priority.URGENT,
             "internal": "on", "is_internal": "on", "status": "closed", "tags": "vip"}  # fmt: skip
    client.post(URL, form_data(**extra))
    ticket = Ticket.objects.get()
    assert ticket.assignee is None and ticket.queue.slug == "support"
    assert ticket.priority == Priority.NORMAL and ticket.status == "new"
    assert not ticket.tags.exists() and ticket.messages.get().kind == "public"


def test_confirmation_email_contains_the_magic_link_when_form_is_sent(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(URL, form_data())
    ticket = Ticket.objects.get()
    email = mail.outbox[0]
    assert email.to == ["casey@example.com"] and f"[{ticket.reference}]" in email.subject
    assert "http://127.0.0.1:8000/en/portal/t/" in email.body


def test_signed_in_customer_gets_the_ticket_in_their_portal_when_using_own_email(client, customer):
    client.force_login(customer)
    assert f'value="{customer.email}"' in client.get(URL).content.decode()
    client.post(URL, form_data(email=customer.email.upper()))
    ticket = Ticket.objects.get()
    assert ticket.requester.user == customer
    assert client.get(f"/en/portal/tickets/{ticket.pk}/").status_code == 200


def test_help_center_links_to_the_contact_form_and_keeps_the_chat(client):
    html = client.get("/en/").content.decode()
    assert 'href="/en/contact/"' in html and "Chat with us" in html


def test_the_confirmation_needs_the_signed_cookie_and_stores_no_session(client):
    from django.contrib.sessions.models import Session

    response = client.post(URL, form_data())
    ticket = Ticket.objects.get()
    cookie = response.cookies["hd_contact_sent"]
    assert cookie["httponly"] and cookie["path"] == "/en/contact/sent/"
    assert ticket.reference not in cookie.value.split(":")[-1]  # signed, not just the value
    assert not Session.objects.exists()
    assert ticket.reference in client.get("/en/contact/sent/").content.decode()
    client.cookies["hd_contact_sent"] = cookie.value.replace("HD-", "HD-9")  # tampered
    assert ticket.reference not in client.get("/en/contact/sent/").content.decode()
