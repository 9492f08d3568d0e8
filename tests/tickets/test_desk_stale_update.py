"""Two agents on one ticket: a write based on an old version is refused, nothing is lost."""

import pytest

from tests.tickets.factories import make_queue, make_ticket
from tickets.models import Priority, Status
from tickets.services import add_message, update_ticket

pytestmark = pytest.mark.django_db


@pytest.fixture
def scene(client, agent, make_user):
    queue = make_queue("Support", members=[agent])
    omar = make_user(role="agent", name="Omar Other")
    queue.members.add(omar)
    ticket = make_ticket(queue=queue)
    client.force_login(agent)
    page = client.get(f"/desk/tickets/{ticket.pk}/").context["markers"]
    return {"client": client, "ticket": ticket, "omar": omar, "markers": page}


def test_reply_is_refused_and_text_kept_when_someone_else_replied_first(scene):
    ticket, markers = scene["ticket"], scene["markers"]
    add_message(ticket=ticket, body="I already answered.", author_user=scene["omar"])
    response = scene["client"].post(
        f"/desk/tickets/{ticket.pk}/reply/",
        {"kind": "public", "body": "My careful answer", **markers},
    )
    html = response.content.decode()
    assert response.status_code == 409
    assert "changed by someone else" in html and "Omar replied" in html
    assert "My careful answer</textarea>" in html
    assert ticket.messages.filter(body="My careful answer").count() == 0
    # The kept form now carries the current version: sending again after reading works.
    ticket.refresh_from_db()
    assert response.context["compose"]["version"].value() == ticket.version


def test_field_change_is_refused_and_shows_what_changed_when_version_is_stale(scene, agent):
    ticket, markers = scene["ticket"], scene["markers"]
    update_ticket(
        ticket=ticket, actor=scene["omar"], expected_version=None, priority=Priority.URGENT
    )
    response = scene["client"].post(
        f"/desk/tickets/{ticket.pk}/fields/",
        {
            **markers,
            "subject": ticket.subject,
            "status": Status.OPEN,
            "priority": Priority.LOW,
            "queue": ticket.queue_id,
            "assignee": "",
            "tags": "",
        },
    )
    html = response.content.decode()
    assert response.status_code == 409
    assert "Omar changed the priority from Normal to Urgent" in html
    ticket.refresh_from_db()
    assert ticket.priority == Priority.URGENT and ticket.status == Status.NEW


def test_field_change_is_saved_when_version_is_current(scene):
    ticket, markers = scene["ticket"], scene["markers"]
    response = scene["client"].post(
        f"/desk/tickets/{ticket.pk}/fields/",
        {
            **markers,
            "subject": "New subject",
            "status": Status.OPEN,
            "priority": Priority.HIGH,
            "queue": ticket.queue_id,
            "assignee": scene["omar"].pk,
            "tags": "vip, refund",
        },
    )
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert (ticket.subject, ticket.status, ticket.priority) == ("New subject", "open", "high")
    assert ticket.assignee == scene["omar"]
    assert sorted(ticket.tags.values_list("name", flat=True)) == ["refund", "vip"]


def test_take_is_refused_when_someone_changed_the_ticket_first(scene, agent):
    ticket = scene["ticket"]
    update_ticket(ticket=ticket, actor=scene["omar"], expected_version=None, subject="Changed")
    response = scene["client"].post(
        f"/desk/tickets/{ticket.pk}/take/", {"version": scene["markers"]["version"]}
    )
    assert response.status_code == 409
    ticket.refresh_from_db()
    assert ticket.assignee is None


def test_take_assigns_me_when_the_version_is_current(scene, agent):
    ticket = scene["ticket"]
    response = scene["client"].post(
        f"/desk/tickets/{ticket.pk}/take/", {"version": scene["markers"]["version"]}
    )
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert ticket.assignee == agent and ticket.status == Status.OPEN
