"""The ticket workflow: statuses, replies, notes, optimistic locking, merge, link, history."""

import pytest

from helpdesk.models import Event
from tests.tickets.factories import make_queue, make_ticket
from tickets.models import Message, MessageKind, Status, TicketChange
from tickets.services import (
    StaleTicket,
    TicketError,
    add_message,
    assign_ticket,
    link_tickets,
    merge_tickets,
    rate_ticket,
    update_ticket,
)

pytestmark = pytest.mark.django_db


def test_new_ticket_has_its_first_message_history_and_event():
    ticket = make_ticket()
    assert ticket.status == Status.NEW and ticket.reference == f"HD-{ticket.pk}"
    message = ticket.messages.get()
    assert message.kind == MessageKind.PUBLIC and message.author_contact == ticket.requester
    assert TicketChange.objects.filter(ticket=ticket, field="created").exists()
    assert Event.objects.filter(kind="ticket.created", data__ticket=ticket.pk).exists()


def test_empty_subject_or_body_is_refused_with_a_clear_message():
    with pytest.raises(TicketError, match="subject"):
        make_ticket(subject="  ")
    with pytest.raises(TicketError, match="empty"):
        make_ticket(body=" ")


def test_agent_reply_waits_on_the_customer_and_sets_first_response(agent):
    ticket = make_ticket()
    add_message(ticket=ticket, body="Let me check.", author_user=agent)
    ticket.refresh_from_db()
    assert ticket.status == Status.PENDING and ticket.first_response_at is not None
    add_message(ticket=ticket, body="Any news?", author_contact=ticket.requester)
    ticket.refresh_from_db()
    assert ticket.status == Status.OPEN


def test_send_and_set_status_solves_and_customer_reply_reopens(agent):
    ticket = make_ticket()
    add_message(ticket=ticket, body="Refunded.", author_user=agent, new_status=Status.SOLVED)
    ticket.refresh_from_db()
    assert ticket.status == Status.SOLVED and ticket.solved_at
    add_message(ticket=ticket, body="Not received", author_contact=ticket.requester)
    ticket.refresh_from_db()
    assert ticket.status == Status.OPEN
    assert Event.objects.filter(kind="ticket.reopened").exists()


def test_internal_note_changes_nothing_the_customer_sees(agent):
    ticket = make_ticket()
    add_message(
        ticket=ticket, body="Courier is slow this week", author_user=agent, is_internal=True
    )
    ticket.refresh_from_db()
    assert ticket.status == Status.NEW and ticket.first_response_at is None
    assert list(ticket.messages.public().values_list("body", flat=True)) == [
        "Order NW-12345 was due last week."
    ]


def test_customers_cannot_write_notes_or_set_status():
    ticket = make_ticket()
    with pytest.raises(TicketError):
        add_message(ticket=ticket, body="x", author_contact=ticket.requester, is_internal=True)
    with pytest.raises(TicketError):
        add_message(ticket=ticket, body="x", author_contact=ticket.requester, new_status="closed")


def test_closed_ticket_is_final(agent):
    ticket = make_ticket()
    update_ticket(ticket=ticket, actor=agent, expected_version=None, status=Status.CLOSED)
    with pytest.raises(TicketError, match="closed"):
        add_message(ticket=ticket, body="again", author_contact=ticket.requester)
    with pytest.raises(TicketError, match="cannot become"):
        update_ticket(ticket=ticket, actor=agent, expected_version=None, status=Status.OPEN)


def test_stale_update_is_refused_and_nothing_is_overwritten(agent, make_user):
    other = make_user(role="agent")
    ticket = make_ticket()
    seen_version = ticket.version
    update_ticket(ticket=ticket, actor=other, expected_version=seen_version, priority="urgent")
    with pytest.raises(StaleTicket) as refused:
        update_ticket(ticket=ticket, actor=agent, expected_version=seen_version, priority="low")
    assert "changed by someone else" in str(refused.value)
    ticket.refresh_from_db()
    assert ticket.priority == "urgent" and ticket.version == seen_version + 1


def test_stale_reply_is_refused_and_not_stored(agent):
    ticket = make_ticket()
    add_message(ticket=ticket, body="first", author_user=agent)
    with pytest.raises(StaleTicket):
        add_message(ticket=ticket, body="late", author_user=agent, expected_version=1)
    assert not Message.objects.filter(body="late").exists()


def test_every_change_is_recorded_in_the_history(agent):
    make_queue("General", is_default=True)
    queue = make_queue("Billing")
    ticket = make_ticket()
    assign_ticket(ticket=ticket, assignee=agent, actor=agent)
    update_ticket(ticket=ticket, actor=agent, expected_version=None, queue=queue, tags=["vip"],
                  priority="high")  # fmt: skip
    fields = list(TicketChange.objects.filter(ticket=ticket).values_list("field", flat=True))
    for field in ("created", "assignee", "status", "queue", "tags", "priority"):
        assert field in fields
    ticket.refresh_from_db()
    assert ticket.status == Status.OPEN and ticket.assignee == agent


def test_assigning_to_a_customer_is_refused(agent, customer):
    with pytest.raises(TicketError, match="agents"):
        assign_ticket(ticket=make_ticket(), assignee=customer, actor=agent)


def test_unknown_fields_cannot_be_changed(agent):
    with pytest.raises(TicketError, match="cannot be changed"):
        update_ticket(ticket=make_ticket(), actor=agent, expected_version=None, requester=None)


def test_merge_moves_the_conversation_and_closes_the_source(agent):
    target = make_ticket(subject="Parcel late")
    source = make_ticket(subject="Where is my parcel?", body="Second message")
    merge_tickets(source=source, target=target, actor=agent)
    source.refresh_from_db()
    assert source.status == Status.CLOSED and source.merged_into == target
    assert target.messages.filter(body="Second message").exists()
    assert target.messages.filter(kind=MessageKind.SYSTEM).exists()
    with pytest.raises(TicketError):
        merge_tickets(source=target, target=target, actor=agent)


def test_linking_is_stored_once_whatever_the_order(agent):
    a, b = make_ticket(), make_ticket()
    link_tickets(ticket=b, other=a, actor=agent)
    link_tickets(ticket=a, other=b, actor=agent)
    assert a.links_out.count() + a.links_in.count() == 1


def test_rating_needs_a_solved_ticket_and_the_requester(agent):
    ticket = make_ticket()
    with pytest.raises(TicketError, match="solved"):
        rate_ticket(ticket=ticket, rating="good", comment="", contact=ticket.requester)
    update_ticket(ticket=ticket, actor=agent, expected_version=None, status=Status.SOLVED)
    rated = rate_ticket(ticket=ticket, rating="bad", comment="slow", contact=ticket.requester)
    assert rated.satisfaction == "bad" and rated.rated_at
    stranger = make_ticket(email="other@example.com").requester
    with pytest.raises(TicketError, match="requester"):
        rate_ticket(ticket=ticket, rating="good", comment="", contact=stranger)
