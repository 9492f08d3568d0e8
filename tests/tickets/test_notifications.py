"""Ticket emails: right people, right language, threaded headers, sent exactly once."""

from datetime import timedelta
from smtplib import SMTPServerDisconnected

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.utils import timezone
from django.utils.translation import gettext, override

from customers.services import get_or_create_contact
from tests.tickets.factories import make_queue, make_ticket
from tickets.models import Notification, OutboxStatus, Status
from tickets.services import add_message, assign_ticket, update_ticket
from tickets.services.notify import thread_id
from tickets.tasks import send_notification, sweep_outbox

pytestmark = pytest.mark.django_db


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Run what the code queued for after commit (tests live inside one transaction)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def ticket(commit):
    with commit():
        return make_ticket(subject="Parcel & box", body="It is **late**.")


def html_of(email) -> str:
    return email.alternatives[0][0]


def test_confirmation_has_the_magic_link_reference_and_message_when_ticket_is_opened(ticket):
    [email] = mail.outbox
    assert email.to == ["casey@example.com"]
    assert email.subject == f"[{ticket.reference}] We received your request: Parcel & box"
    assert "http://127.0.0.1:8000/en/portal/t/" in email.body and "It is **late**." in email.body
    html = html_of(email)
    assert '<html lang="en" dir="ltr">' in html and "<strong>late</strong>" in html
    assert 'href="http://127.0.0.1:8000/en/portal/t/' in html


def test_mail_is_in_the_customers_language_when_they_chose_one(commit):
    get_or_create_contact(email="aino@example.fi", name="Aino", language="fi")
    with commit():
        ticket = make_ticket(email="aino@example.fi", subject="Paketti")
    [email] = mail.outbox
    with override("fi"):
        expected = gettext("We received your request: %(subject)s") % {"subject": "Paketti"}
    assert email.subject == f"[{ticket.reference}] {expected}"
    assert "http://127.0.0.1:8000/fi/portal/t/" in email.body
    assert '<html lang="fi" dir="ltr">' in html_of(email)


def test_arabic_mail_is_right_to_left(commit):
    get_or_create_contact(email="omar@example.com", name="Omar", language="ar")
    with commit():
        make_ticket(email="omar@example.com")
    assert '<html lang="ar" dir="rtl">' in html_of(mail.outbox[0])


def test_headers_thread_every_mail_on_the_ticket(ticket, agent, commit):
    with commit():
        add_message(ticket=ticket, body="We are on it.", author_user=agent)
    created, replied = mail.outbox
    for email in (created, replied):
        assert email.extra_headers["In-Reply-To"] == thread_id(ticket)
        assert email.extra_headers["References"] == thread_id(ticket)
        assert email.extra_headers["Message-ID"].startswith("<n")
        assert email.message()["Message-ID"] == email.extra_headers["Message-ID"]
        assert email.subject.startswith(f"[{ticket.reference}] ")
    assert created.extra_headers["Auto-Submitted"] == "auto-generated"
    assert "Auto-Submitted" not in replied.extra_headers  # a person wrote it
    assert "We are on it." in replied.body and "/en/portal/t/" in replied.body


def test_internal_notes_are_never_emailed_to_the_customer(ticket, agent, commit):
    mail.outbox.clear()
    with commit():
        add_message(ticket=ticket, body="Customer is difficult", author_user=agent,
                    is_internal=True)  # fmt: skip
    assert mail.outbox == []
    assert not Notification.objects.filter(kind="agent_replied").exists()


def test_agents_hear_of_assignment_and_customer_replies_with_a_desk_link(agent, commit):
    agent.language = "fi"
    agent.save(update_fields=["language"])
    queue = make_queue("Support", members=[agent])
    with commit():
        ticket = make_ticket(queue=queue)
        assign_ticket(ticket=ticket, assignee=agent, actor=agent)
        add_message(ticket=ticket, body="Any news?", author_contact=ticket.requester)
    assigned, replied = mail.outbox[1:]
    assert assigned.to == replied.to == [agent.email]
    assert f"http://127.0.0.1:8000/desk/tickets/{ticket.pk}/" in assigned.body
    assert "Any news?" in replied.body and "/portal/t/" not in replied.body
    assert '<html lang="fi"' in html_of(replied)


def test_solved_mail_invites_a_rating_through_the_magic_link(ticket, agent, commit):
    with commit():
        update_ticket(ticket=ticket, actor=agent, expected_version=None, status=Status.SOLVED)
    email = mail.outbox[-1]
    assert email.subject == f"[{ticket.reference}] Solved: Parcel & box"
    assert "/en/portal/t/" in email.body and email.extra_headers["Auto-Submitted"]


def test_notification_is_sent_once_when_the_send_task_runs_twice(ticket):
    notification = Notification.objects.get(kind="created")
    assert send_notification(notification.pk) is False
    sweep_outbox()
    assert len(mail.outbox) == 1


class FlakyBackend(EmailBackend):
    """A mail server that drops the first connection, then works."""

    failures_left = 1

    def send_messages(self, messages):
        if FlakyBackend.failures_left:
            FlakyBackend.failures_left -= 1
            raise SMTPServerDisconnected("connection dropped")
        return super().send_messages(messages)


def test_sweep_sends_the_mail_that_failed_the_first_time(settings, commit):
    settings.EMAIL_BACKEND = "tests.tickets.test_notifications.FlakyBackend"
    FlakyBackend.failures_left = 1
    with commit():
        ticket = make_ticket()
    notification = Notification.objects.get(ticket=ticket)
    assert mail.outbox == [] and notification.status == OutboxStatus.PENDING
    assert "connection dropped" in Notification.objects.get().last_error
    Notification.objects.update(created_at=timezone.now() - timedelta(minutes=2))
    assert sweep_outbox() == 1 and sweep_outbox() == 0
    notification.refresh_from_db()
    assert len(mail.outbox) == 1 and notification.status == OutboxStatus.SENT
    assert notification.attempts == 2
