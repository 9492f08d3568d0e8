"""Bulk actions from the list: each ticket goes through the workflow and visibility is checked."""

import pytest

from tests.tickets.factories import make_queue, make_ticket
from tickets.models import Priority, Status, Ticket
from tickets.services.bulk import bulk_update_tickets

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(client, agent):
    queue = make_queue("Support", members=[agent])
    hidden = make_queue("Hidden")
    tickets = [make_ticket(subject=f"T{i}", queue=queue) for i in range(3)]
    secret = make_ticket(subject="Secret", queue=hidden)
    client.force_login(agent)
    return {"client": client, "tickets": tickets, "secret": secret}


def _post(client, tickets, **data):
    return client.post(
        "/desk/bulk/",
        {"ticket": [t.pk for t in tickets], "next": "/desk/?view=all", **data},
        follow=True,
    )


def test_selected_tickets_are_assigned_to_me_when_bulk_assigning(setup, agent):
    response = _post(setup["client"], setup["tickets"], action="assign_me")
    assert response.redirect_chain[-1][0] == "/desk/?view=all"
    assert set(Ticket.objects.filter(assignee=agent).values_list("subject", flat=True)) == {
        "T0",
        "T1",
        "T2",
    }
    assert "3 tickets changed." in response.content.decode()


def test_ticket_the_agent_cannot_see_is_reported_and_untouched_when_included(setup):
    response = _post(
        setup["client"],
        [*setup["tickets"][:1], setup["secret"]],
        action="priority",
        priority=Priority.URGENT,
    )
    html = response.content.decode()
    assert "1 ticket changed." in html
    assert f"{setup['secret'].reference} not changed" in html
    setup["secret"].refresh_from_db()
    assert setup["secret"].priority == Priority.NORMAL


def test_each_action_changes_the_field_when_applied(setup, agent, make_user):
    first, second, third = setup["tickets"]
    other = make_user(role="agent", name="Omar")
    _post(setup["client"], [first], action="assign", assignee=other.pk)
    _post(setup["client"], [second], action="status", status=Status.PENDING)
    _post(setup["client"], [third], action="tag", tag="Refund Request")
    _post(setup["client"], [third], action="close")
    for t in setup["tickets"]:
        t.refresh_from_db()
    assert first.assignee == other and second.status == Status.PENDING
    assert list(third.tags.values_list("name", flat=True)) == ["refund-request"]
    assert third.status == Status.CLOSED


def test_refused_change_is_reported_with_its_reason_when_a_rule_is_broken(setup, agent):
    closed = setup["tickets"][0]
    bulk_update_tickets(actor=agent, ticket_ids=[closed.pk], action="close")
    result = bulk_update_tickets(
        actor=agent,
        ticket_ids=[closed.pk, setup["tickets"][1].pk],
        action="status",
        value=Status.OPEN,
    )
    assert [t.pk for t in result.changed] == [setup["tickets"][1].pk]
    assert result.failed[0][0] == closed.reference and "cannot become" in result.failed[0][1]


def test_nothing_changes_and_a_message_is_shown_when_no_ticket_is_selected(setup):
    response = _post(setup["client"], [], action="close")
    assert "Select at least one ticket." in response.content.decode()
    assert not Ticket.objects.filter(status=Status.CLOSED).exists()


def test_foreign_next_url_is_ignored_when_redirecting_after_bulk(setup):
    response = setup["client"].post(
        "/desk/bulk/",
        {"ticket": [setup["tickets"][0].pk], "action": "close", "next": "https://evil.example/"},
    )
    assert response["Location"] == "/desk/"
