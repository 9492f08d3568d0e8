"""The minute SLA check: warning, breach, escalation, each once; a second run changes nothing."""

from datetime import UTC, datetime

import pytest

from helpdesk.models import Event
from tests.tickets.automation_factories import make_policy, office_hours
from tests.tickets.factories import make_queue, make_ticket
from tickets.models import Notification, Ticket, TicketSla
from tickets.services import add_message
from tickets.services.notify import deliver_notification
from tickets.services.sla_check import check_sla_deadlines
from tickets.tasks import check_slas

pytestmark = pytest.mark.django_db


def _events(kind: str) -> list[dict]:
    return list(Event.objects.filter(kind=kind).order_by("pk").values_list("data", flat=True))


def _snapshot() -> list[tuple]:
    rows = TicketSla.objects.order_by("pk").values_list(
        "pk", "warned", "breached", "next_check_at", "status", "next_due_at"
    )
    tickets = Ticket.objects.order_by("pk").values_list("pk", "priority", "assignee", "version")
    return [*rows, *tickets, Event.objects.count(), Notification.objects.count()]


def test_a_warning_comes_once_when_a_quarter_of_the_target_is_left(clock):
    make_policy(first_response_minutes=60, next_response_minutes=None, resolution_minutes=None)
    ticket = make_ticket(queue=make_queue("Support"))
    clock.advance(minutes=44)
    assert check_sla_deadlines().warnings == []
    clock.advance(minutes=1)  # 45 of 60 minutes gone: 25 % left
    assert check_sla_deadlines().warnings == [(ticket.pk, "first_response")]
    assert check_sla_deadlines().warnings == []
    assert _events("sla.warning") == [
        {"ticket": ticket.pk, "target": "first_response", "due_at": "2026-03-02T09:00:00+00:00"}
    ]
    assert TicketSla.objects.get(ticket=ticket).status == "warning"


def test_a_breach_is_recorded_once_and_escalates(clock, agent, make_user, mailoutbox):
    supervisor = make_user(role="agent", name="Sue Supervisor")
    backup = make_user(role="agent", name="Bob Backup")
    make_policy(
        first_response_minutes=30,
        next_response_minutes=None,
        resolution_minutes=None,
        notify_user=supervisor,
        raise_priority=True,
        reassign_to=backup,
    )
    ticket = make_ticket(queue=make_queue("Support", members=[agent]))
    clock.advance(minutes=31)
    result = check_sla_deadlines()
    assert result.breaches == [(ticket.pk, "first_response")]
    ticket.refresh_from_db()
    assert ticket.priority == "high" and ticket.assignee == backup
    notification = Notification.objects.get(kind="sla_breached", recipient_user=supervisor)
    assert deliver_notification(notification.pk)
    (mail,) = mailoutbox
    assert mail.to == [supervisor.email] and "SLA breached" in mail.subject
    assert mail.extra_headers["Auto-Submitted"] == "auto-generated"
    assert len(_events("sla.breached")) == 1
    assert TicketSla.objects.get(ticket=ticket).status == "breached"


def test_running_the_check_twice_changes_nothing_the_second_time(clock, make_user):
    supervisor = make_user(role="agent", name="Sue Supervisor")
    make_policy(
        first_response_minutes=30,
        resolution_minutes=120,
        notify_user=supervisor,
        raise_priority=True,
    )
    queue = make_queue("Support")
    for n in range(5):
        make_ticket(queue=queue, email=f"c{n}@example.com")
        clock.advance(minutes=7)
    clock.advance(minutes=60)
    check_slas()
    first = _snapshot()
    check_slas()
    assert _snapshot() == first
    assert len(_events("sla.breached")) == 5


def test_a_paused_ticket_is_not_breached_while_waiting_on_the_customer(clock, agent):
    make_policy(first_response_minutes=None, next_response_minutes=None, resolution_minutes=60)
    ticket = make_ticket(queue=make_queue("Support"))
    clock.advance(minutes=10)
    add_message(ticket=ticket, body="Need your order number", author_user=agent)  # pending
    clock.advance(days=3)
    assert check_sla_deadlines().breaches == []
    add_message(ticket=ticket, body="NW-1", author_contact=ticket.requester)
    clock.advance(minutes=49)
    assert check_sla_deadlines().breaches == []
    clock.advance(minutes=1)
    assert check_sla_deadlines().breaches == [(ticket.pk, "resolution")]


def test_breaches_wait_for_business_hours(clock):
    queue = make_queue("Support")
    queue.calendar = office_hours()
    queue.save()
    make_policy(first_response_minutes=60, next_response_minutes=None, resolution_minutes=None)
    clock.set(datetime(2026, 3, 6, 14, 45, tzinfo=UTC))  # Friday 16:45 Helsinki
    ticket = make_ticket(queue=queue)
    clock.set(datetime(2026, 3, 8, 20, 0, tzinfo=UTC))  # Sunday evening: 15 min used
    result = check_sla_deadlines()
    assert result.breaches == [] and result.warnings == []
    clock.set(datetime(2026, 3, 9, 7, 30, tzinfo=UTC))  # Monday 09:30 local: 45 min used
    assert check_sla_deadlines().warnings == [(ticket.pk, "first_response")]
    clock.set(datetime(2026, 3, 9, 7, 45, tzinfo=UTC))  # Monday 09:45 local: 60 min used
    assert check_sla_deadlines().breaches == [(ticket.pk, "first_response")]


def test_the_check_reads_only_rows_whose_moment_has_come(clock, django_assert_max_num_queries):
    make_policy(first_response_minutes=600)
    queue = make_queue("Support")
    for n in range(20):
        make_ticket(queue=queue, email=f"c{n}@example.com")
    with django_assert_max_num_queries(3):  # transaction + one SELECT ... FOR UPDATE
        assert check_sla_deadlines().checked == 0


def test_escalating_a_batch_reads_the_supervisors_once(clock, make_user):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    supervisor = make_user(role="agent", name="Sue Supervisor")
    make_policy(first_response_minutes=30, next_response_minutes=None,
                resolution_minutes=None, notify_user=supervisor)  # fmt: skip
    queue = make_queue("Support")
    for n in range(4):
        make_ticket(queue=queue, email=f"c{n}@example.com")
    clock.advance(minutes=31)
    with CaptureQueriesContext(connection) as queries:
        assert len(check_sla_deadlines().breaches) == 4
    user_reads = [q for q in queries.captured_queries
                  if q["sql"].startswith('SELECT "helpdesk_user"')]  # fmt: skip
    assert len(user_reads) == 1
    assert Notification.objects.filter(kind="sla_breached").count() == 4
