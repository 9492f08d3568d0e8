"""An expired link can be replaced by email, without revealing which requests exist."""

import pytest
from django.core import mail

from tests.tickets.factories import make_ticket
from tickets.models import Notification

pytestmark = pytest.mark.django_db
URL = "/en/portal/link/"


@pytest.fixture
def ticket():
    return make_ticket(email="casey@example.com")


def ask(client, capture, **data):
    mail.outbox.clear()
    with capture(execute=True):
        return client.post(URL, data)


def test_fresh_link_is_emailed_when_email_and_reference_match(
    client, ticket, django_capture_on_commit_callbacks
):
    response = ask(client, django_capture_on_commit_callbacks,
                   email="CASEY@example.com", reference=ticket.reference.lower())  # fmt: skip
    assert response.status_code == 200
    [email] = mail.outbox
    assert email.to == ["casey@example.com"] and f"[{ticket.reference}]" in email.subject
    assert "/en/portal/t/" in email.body
    link = email.body.split("http://127.0.0.1:8000", 1)[1].split()[0]
    assert client.get(link).status_code == 302


@pytest.mark.parametrize(
    "data",
    [{"email": "mallory@example.com"}, {"reference": "HD-999999"}, {"reference": "nonsense"}],
)
def test_same_answer_and_no_mail_when_email_or_reference_do_not_match(
    client, ticket, data, django_capture_on_commit_callbacks
):
    matching = ask(client, django_capture_on_commit_callbacks,
                   email="casey@example.com", reference=ticket.reference)  # fmt: skip
    params = {"email": "casey@example.com", "reference": ticket.reference} | data
    other = ask(client, django_capture_on_commit_callbacks, **params)
    assert mail.outbox == []
    assert other.status_code == matching.status_code == 200

    def answer(response):
        html = response.content.decode()
        return html[html.index("<main") : html.index("</main>")]

    assert answer(other) == answer(matching)


def test_only_one_link_mail_is_sent_when_asked_repeatedly(
    client, ticket, django_capture_on_commit_callbacks
):
    for _ in range(3):
        ask(client, django_capture_on_commit_callbacks,
            email="casey@example.com", reference=ticket.reference)  # fmt: skip
    assert Notification.objects.filter(kind="link").count() == 1


def test_form_errors_are_shown_when_fields_are_missing(client):
    response = client.post(URL, {"email": "nope"})
    assert response.status_code == 400
    assert 'href="#id_reference"' in response.content.decode()
