"""Who sees which ticket: requesters their own, agents their queues, admins everything."""

import pytest
from django.http import Http404

from tests.tickets.factories import make_queue, make_ticket
from tickets.selectors import get_visible_ticket, visible_tickets

pytestmark = pytest.mark.django_db


def test_customer_sees_only_the_tickets_they_requested(make_user):
    alice, bob = make_user(email="alice@example.com"), make_user(email="bob@example.com")
    mine = make_ticket(email="alice@example.com", user=alice)
    theirs = make_ticket(email="bob@example.com", user=bob)
    assert list(visible_tickets(alice)) == [mine]
    with pytest.raises(Http404):
        get_visible_ticket(alice, theirs.pk)


def test_agent_sees_their_queues_and_assigned_tickets_only(agent, make_user):
    other_agent = make_user(role="agent")
    mine = make_queue("Returns", members=[agent])
    others = make_queue("Billing", members=[other_agent])
    in_my_queue = make_ticket(queue=mine)
    in_other_queue = make_ticket(queue=others)
    assigned = make_ticket(queue=others)
    assigned.assignee = agent
    assigned.save(update_fields=["assignee"])
    assert set(visible_tickets(agent)) == {in_my_queue, assigned}
    with pytest.raises(Http404):
        get_visible_ticket(agent, in_other_queue.pk)


def test_admin_sees_everything(admin_user, make_user):
    queue = make_queue("Billing", members=[make_user(role="agent")])
    ticket = make_ticket(queue=queue)
    assert get_visible_ticket(admin_user, ticket.pk) == ticket


def test_anonymous_and_deactivated_users_see_nothing(agent):
    from django.contrib.auth.models import AnonymousUser

    make_ticket(queue=make_queue("Returns", members=[agent]))
    assert not visible_tickets(AnonymousUser()).exists()
    agent.is_active = False
    assert not visible_tickets(agent).exists()


def test_a_membership_change_is_seen_on_the_next_read(agent, client):
    """Queue memberships are cached per process: adding, removing and deleting must all reach
    the next request (the desk page checks visibility against that cache)."""
    from tickets.selectors import member_queue_ids

    queue = make_queue("Billing")
    ticket = make_ticket(queue=queue)
    client.force_login(agent)
    page = f"/desk/tickets/{ticket.pk}/"
    assert client.get(page).status_code == 404
    queue.members.add(agent)
    assert client.get(page).status_code == 200
    assert list(visible_tickets(agent)) == [ticket]
    agent.queues.remove(queue)
    assert client.get(page).status_code == 404
    agent.queues.add(queue)
    assert member_queue_ids(agent) == {queue.pk}
    queue.members.clear()
    assert member_queue_ids(agent) == frozenset()
    assert not visible_tickets(agent).exists()


def test_can_see_agrees_with_visible_tickets(agent, admin_user, make_user):
    from django.contrib.auth.models import AnonymousUser

    from tickets.selectors import can_see

    alice = make_user(email="alice@example.com")
    colleague = make_user(role="agent")
    mine = make_queue("Returns", members=[agent])
    theirs = make_queue("Billing", members=[colleague])
    tickets = [
        make_ticket(queue=mine), make_ticket(queue=theirs), make_ticket(queue=None),
        make_ticket(email="alice@example.com", user=alice, queue=theirs),
    ]  # fmt: skip
    tickets[1].assignee = agent
    tickets[1].save(update_fields=["assignee"])
    users = [agent, colleague, admin_user, alice, AnonymousUser()]
    for user in users:
        visible = set(visible_tickets(user))
        for ticket in tickets:
            assert can_see(user, ticket) == (ticket in visible), (user, ticket)
