"""A customer's view of one request: public replies only; reply, mark solved, rate."""

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.tickets.factories import make_ticket
from tickets.models import Message, MessageKind, Status, TicketChange
from tickets.services import add_message, merge_tickets, update_ticket

pytestmark = pytest.mark.django_db


@pytest.fixture
def ticket(customer):
    return make_ticket(email=customer.email, user=customer)


@pytest.fixture
def signed_in(client, customer):
    client.force_login(customer)
    return client


def url(ticket, action="") -> str:
    return f"/en/portal/tickets/{ticket.pk}/{action}"


def test_only_public_messages_are_shown_when_the_ticket_has_notes(signed_in, ticket, agent):
    add_message(ticket=ticket, body="NOTE: customer is on the fraud watchlist", author_user=agent,
                is_internal=True)  # fmt: skip
    add_message(ticket=ticket, body="We are looking into it.", author_user=agent)
    other = make_ticket(email="x@example.com", subject="Other")
    merge_tickets(source=other, target=ticket, actor=agent)
    html = signed_in.get(url(ticket)).content.decode()
    assert "We are looking into it." in html and "Order NW-12345" in html
    assert "fraud watchlist" not in html and "was merged into this ticket" not in html


def test_reply_with_attachment_is_saved_when_the_customer_writes(
    signed_in, ticket, django_capture_on_commit_callbacks
):
    upload = SimpleUploadedFile("photo.jpg", b"\xff\xd8jpeg")
    with django_capture_on_commit_callbacks(execute=True):
        response = signed_in.post(
            url(ticket), {"message": "Here is a photo", "attachments": upload}
        )
    assert response.status_code == 302
    message = ticket.messages.last()
    assert message.body == "Here is a photo" and message.author_contact == ticket.requester
    assert message.attachments.get().filename == "photo.jpg"
    assert "photo.jpg" in signed_in.get(url(ticket)).content.decode()


def test_reply_text_is_kept_when_the_attachment_is_refused(signed_in, ticket):
    upload = SimpleUploadedFile("run.exe", b"MZ")
    response = signed_in.post(url(ticket), {"message": "My long reply", "attachments": upload})
    html = response.content.decode()
    assert response.status_code == 400 and "My long reply" in html
    assert "this kind of file cannot be attached" in html
    assert ticket.messages.count() == 1


def test_reply_reopens_the_ticket_when_it_was_solved(signed_in, ticket, agent):
    update_ticket(ticket=ticket, actor=agent, expected_version=None, status=Status.SOLVED)
    signed_in.post(url(ticket), {"message": "Still broken"})
    ticket.refresh_from_db()
    assert ticket.status == Status.OPEN


def test_ticket_is_solved_without_a_solved_email_when_the_customer_marks_it(
    signed_in, ticket, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = signed_in.post(url(ticket, "solve"))
    ticket.refresh_from_db()
    assert response.status_code == 302 and ticket.status == Status.SOLVED
    assert mail.outbox == []
    change = TicketChange.objects.get(ticket=ticket, field="status")
    assert change.actor_contact == ticket.requester and change.new == "solved"
    assert "Rate our help" in signed_in.get(url(ticket)).content.decode()


def test_rating_is_saved_when_the_ticket_is_solved(signed_in, ticket):
    signed_in.post(url(ticket, "solve"))
    response = signed_in.post(url(ticket, "rate"), {"rating": "bad", "comment": "Too slow"})
    ticket.refresh_from_db()
    assert response.status_code == 302
    assert (ticket.satisfaction, ticket.satisfaction_comment) == ("bad", "Too slow")


def test_rating_is_refused_when_the_ticket_is_still_open(signed_in, ticket):
    response = signed_in.post(url(ticket, "rate"), {"rating": "good"}, follow=True)
    ticket.refresh_from_db()
    assert ticket.satisfaction == ""
    assert "once it is solved" in response.content.decode()


def test_customer_cannot_set_agent_fields_when_posting_extra_fields(signed_in, ticket, agent):
    extra = {"message": "hi", "assignee": agent.pk, "priority": "urgent", "status": "closed",
             "is_internal": "on", "internal": "1", "queue": 1, "kind": "internal"}  # fmt: skip
    signed_in.post(url(ticket), extra)
    ticket.refresh_from_db()
    assert ticket.assignee is None and ticket.priority == "normal" and ticket.status == "open"
    assert ticket.messages.last().kind == MessageKind.PUBLIC


def test_closed_ticket_offers_a_new_message_instead_of_a_reply(signed_in, ticket, agent):
    update_ticket(ticket=ticket, actor=agent, expected_version=None, status=Status.CLOSED)
    html = signed_in.get(url(ticket)).content.decode()
    assert "This request is closed" in html and 'id="reply-title"' not in html
    assert signed_in.post(url(ticket), {"message": "hello?"}).status_code == 400
    assert Message.objects.filter(body="hello?").count() == 0


def test_user_input_is_escaped_when_subject_body_and_filename_hold_markup(client, customer):
    evil = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    ticket = make_ticket(email=customer.email, user=customer, subject=evil, body=f"Hi {evil}",
                         files=[SimpleUploadedFile(f"{evil}.txt", b"x")])  # fmt: skip
    client.force_login(customer)
    html = client.get(url(ticket)).content.decode()
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    home = client.get("/en/portal/").content.decode()
    assert "<script>alert" not in home
