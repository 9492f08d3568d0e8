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
