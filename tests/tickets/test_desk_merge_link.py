"""Merging and linking tickets from the ticket page, by reference."""

import pytest

from tests.tickets.factories import make_queue, make_ticket
from tickets.models import Status, TicketLink

pytestmark = pytest.mark.django_db


@pytest.fixture
def pair(client, agent):
    queue = make_queue("Support", members=[agent])
    client.force_login(agent)
    return make_ticket(queue=queue, subject="Duplicate"), make_ticket(queue=queue, subject="Main")


def test_ticket_is_merged_and_agent_sees_the_target_when_merging_by_reference(client, pair):
    source, target = pair
    response = client.post(
        f"/desk/tickets/{source.pk}/merge/",
        {"reference": target.reference, "version": source.version},
    )
    assert response["Location"] == f"/desk/tickets/{target.pk}/"
    source.refresh_from_db()
    assert source.status == Status.CLOSED and source.merged_into == target
    assert "was merged into this ticket" in client.get(response["Location"]).content.decode()


def test_tickets_are_linked_and_shown_as_related_when_linking_by_reference(client, pair):
    first, second = pair
    response = client.post(
        f"/desk/tickets/{first.pk}/link/",
        {"reference": f"hd-{second.pk}", "version": first.version},
    )
    assert response.status_code == 302
    assert TicketLink.objects.filter(ticket=first, other=second).exists()
    html = client.get(f"/desk/tickets/{first.pk}/").content.decode()
    assert f"{second.reference} <bdi>Main</bdi>" in html


def test_invisible_ticket_cannot_be_merged_into_when_named_by_reference(client, pair):
    source, _ = pair
    hidden = make_ticket(queue=make_queue("Hidden"), subject="Not yours")
    response = client.post(
        f"/desk/tickets/{source.pk}/merge/",
        {"reference": hidden.reference, "version": source.version},
    )
    assert response.status_code == 400
    assert "No ticket with that reference" in response.content.decode()
    source.refresh_from_db()
    assert source.merged_into is None


def test_service_error_is_shown_when_merging_a_ticket_into_itself(client, pair):
    source, _ = pair
    response = client.post(
        f"/desk/tickets/{source.pk}/merge/",
        {"reference": source.reference, "version": source.version},
    )
    assert response.status_code == 400
    assert "cannot be merged into itself" in response.content.decode()
