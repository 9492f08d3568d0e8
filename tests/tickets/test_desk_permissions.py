"""Only agents use the desk, and only on tickets they may see; others get a 404 or sign-in."""

import pytest

from tests.tickets.factories import make_queue, make_ticket

pytestmark = pytest.mark.django_db

POSTS = ["reply", "fields", "take", "merge", "link"]


@pytest.fixture
def hidden_ticket():
    return make_ticket(queue=make_queue("Hidden"))


def test_visitor_is_sent_to_sign_in_when_opening_a_ticket(client, hidden_ticket):
    response = client.get(f"/desk/tickets/{hidden_ticket.pk}/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_customer_gets_404_when_opening_their_own_ticket_in_the_desk(client, customer):
    ticket = make_ticket(user=customer, email=customer.email)
    client.force_login(customer)
    assert client.get(f"/desk/tickets/{ticket.pk}/").status_code == 404
    assert client.get("/desk/").status_code == 404
    assert client.post("/desk/bulk/", {"ticket": [ticket.pk], "action": "close"}).status_code == 404


def test_agent_gets_404_when_the_ticket_is_in_another_queue(client, agent, hidden_ticket):
    client.force_login(agent)
    assert client.get(f"/desk/tickets/{hidden_ticket.pk}/").status_code == 404
    assert client.get(f"/desk/tickets/{hidden_ticket.pk}/presence/").status_code == 404


@pytest.mark.parametrize("action", POSTS)
def test_every_post_is_refused_with_404_when_the_ticket_is_not_visible(
    client, agent, hidden_ticket, action
):
    client.force_login(agent)
    response = client.post(
        f"/desk/tickets/{hidden_ticket.pk}/{action}/",
        {"version": hidden_ticket.version, "body": "x", "kind": "public"},
    )
    assert response.status_code == 404
    assert hidden_ticket.messages.count() == 1


def test_admin_sees_tickets_of_every_queue_when_opening_them(client, admin_user, hidden_ticket):
    client.force_login(admin_user)
    assert client.get(f"/desk/tickets/{hidden_ticket.pk}/").status_code == 200


def test_get_is_not_allowed_when_calling_a_write_endpoint(client, agent):
    ticket = make_ticket(queue=make_queue("Support", members=[agent]))
    client.force_login(agent)
    assert client.get(f"/desk/tickets/{ticket.pk}/reply/").status_code == 405
