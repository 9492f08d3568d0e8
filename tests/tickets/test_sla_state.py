"""Per-ticket SLA state: policy choice, business-hours due times, pauses, next response."""

from datetime import UTC, date, datetime

import pytest

from customers.models import Organisation
from tests.tickets.automation_factories import make_policy, office_hours
from tests.tickets.factories import make_queue, make_ticket
from tickets.models import TicketSla, Webhook, WebhookDelivery
from tickets.services import add_message, mark_solved_by_requester, update_ticket
from tickets.services.sla import describe

pytestmark = pytest.mark.django_db


def _sla(ticket) -> TicketSla:
    return TicketSla.objects.get(ticket=ticket)


def test_due_times_count_business_hours_of_the_queues_calendar(clock, agent):
    queue = make_queue("Support", members=[agent])
    queue.calendar = office_hours()
    queue.save()
    make_policy(first_response_minutes=60, resolution_minutes=16 * 60)
    clock.set(datetime(2026, 3, 6, 14, 30, tzinfo=UTC))  # Friday 16:30 in Helsinki
    ticket = make_ticket(queue=queue)
    sla = _sla(ticket)
    # 30 minutes on Friday, 30 on Monday from 09:00 Helsinki (07:00 UTC).
    assert sla.first_response_due == datetime(2026, 3, 9, 7, 30, tzinfo=UTC)
    # 16 business hours: Friday's 30 min, Monday 8 h, Tuesday 7.5 h → Tuesday 16:30 local.
    assert sla.resolution_due == datetime(2026, 3, 10, 14, 30, tzinfo=UTC)
    assert sla.next_due_at == sla.first_response_due
    assert sla.status == "ok"


def test_holidays_are_skipped_when_computing_due_times(clock):
    queue = make_queue("Support")
    queue.calendar = office_hours(holidays=[date(2026, 3, 9)])
    queue.save()
    make_policy(first_response_minutes=60)
    clock.set(datetime(2026, 3, 6, 14, 30, tzinfo=UTC))
    sla = _sla(make_ticket(queue=queue))
    assert sla.first_response_due == datetime(2026, 3, 10, 7, 30, tzinfo=UTC)


def test_first_matching_policy_by_position_applies(clock):
    vip = Organisation.objects.create(name="Acme", domains=["acme.example"])
    support, sales = make_queue("Support"), make_queue("Sales")
    urgent = make_policy("Urgent", position=1, priorities=["urgent"], first_response_minutes=15)
    acme = make_policy("Acme", position=2, organisations=[vip], first_response_minutes=30)
    sales_policy = make_policy("Sales", position=3, queues=[sales], channels=["email"])
    fallback = make_policy("Everything else", position=9)
    from customers.services import get_or_create_contact

    contact = get_or_create_contact(email="boss@acme.example", name="Boss")
    contact.organisation = vip
    contact.save()
    assert _sla(make_ticket(queue=support, priority="urgent")).policy == urgent
    assert _sla(make_ticket(queue=support, email="boss@acme.example")).policy == acme
    assert _sla(make_ticket(queue=sales, channel="email")).policy == sales_policy
    assert _sla(make_ticket(queue=sales, channel="web")).policy == fallback


def test_no_policy_means_no_due_times(clock):
    sla = _sla(make_ticket(queue=make_queue("Support")))
    assert sla.policy is None and sla.next_due_at is None and sla.next_check_at is None
    assert describe(sla) is None


def test_first_response_is_met_by_an_agents_public_reply_not_by_a_note(clock, agent):
    make_policy(first_response_minutes=60, next_response_minutes=None, resolution_minutes=None)
    ticket = make_ticket(queue=make_queue("Support", members=[agent]))
    clock.advance(minutes=10)
    add_message(ticket=ticket, body="Looking into it", author_user=agent, is_internal=True)
    assert _sla(ticket).first_response_due is not None
    clock.advance(minutes=10)
    add_message(ticket=ticket, body="Here you go", author_user=agent, new_status="open")
    sla = _sla(ticket)
    assert sla.next_check_at is None and sla.next_due_at is None
    assert sla.status == "ok"


def test_pending_pauses_the_clock_and_pushes_the_due_time_back(clock, agent):
    make_policy(first_response_minutes=None, next_response_minutes=None, resolution_minutes=60)
    ticket = make_ticket(queue=make_queue("Support"))
    due_before = _sla(ticket).resolution_due
    clock.advance(minutes=20)
    add_message(ticket=ticket, body="Which order?", author_user=agent)  # → pending
    sla = _sla(ticket)
    assert sla.is_paused and sla.resolution_due is None and sla.next_check_at is None
    clock.advance(minutes=90)
    add_message(ticket=ticket, body="Order 42", author_contact=ticket.requester)  # → open
    sla = _sla(ticket)
    assert not sla.is_paused and len(sla.pauses) == 1
    assert (sla.resolution_due - due_before).total_seconds() == 90 * 60


def test_a_customer_reply_after_the_first_response_starts_the_next_response_clock(clock, agent):
    make_policy(first_response_minutes=60, next_response_minutes=30, resolution_minutes=None)
    ticket = make_ticket(queue=make_queue("Support"))
    add_message(ticket=ticket, body="Hi", author_user=agent, new_status="open")
    assert _sla(ticket).next_response_due is None
    clock.advance(minutes=5)
    add_message(ticket=ticket, body="Still broken", author_contact=ticket.requester)
    sla = _sla(ticket)
    assert sla.awaiting_reply_since == clock.now
    assert sla.next_response_due == datetime(2026, 3, 2, 8, 35, tzinfo=UTC)
    clock.advance(minutes=5)
    add_message(ticket=ticket, body="Fixed now", author_user=agent, new_status="open")
    assert _sla(ticket).next_response_due is None


def test_changing_the_priority_chooses_the_policy_again(clock, agent):
    normal = make_policy("Normal", position=2, first_response_minutes=240)
    urgent = make_policy("Urgent", position=1, priorities=["urgent"], first_response_minutes=15)
    ticket = make_ticket(queue=make_queue("Support"))
    assert _sla(ticket).policy == normal
    update_ticket(ticket=ticket, actor=agent, expected_version=None, priority="urgent")
    sla = _sla(ticket)
    assert sla.policy == urgent
    assert sla.first_response_due == datetime(2026, 3, 2, 8, 15, tzinfo=UTC)


def test_solving_stops_the_clock_and_reopening_resumes_it_without_the_solved_time(clock, agent):
    make_policy(first_response_minutes=None, next_response_minutes=None, resolution_minutes=60)
    ticket = make_ticket(queue=make_queue("Support"))
    clock.advance(minutes=10)
    update_ticket(ticket=ticket, actor=agent, expected_version=None, status="solved")
    assert _sla(ticket).next_check_at is None
    clock.advance(hours=5)
    add_message(ticket=ticket, body="It broke again", author_contact=ticket.requester)
    sla = _sla(ticket)
    assert sla.resolution_due == datetime(2026, 3, 2, 14, 0, tzinfo=UTC)  # 13:10 + 50 min


def test_the_customer_solving_stops_the_clock_and_tells_the_webhooks_too(clock, settings):
    settings.WEBHOOK_ALLOWED_NETWORKS = ["127.0.0.1/32"]
    Webhook.objects.create(
        name="CRM", url="http://127.0.0.1:9/", events=["ticket.solved"], secret="s3cret"
    )
    make_policy(first_response_minutes=None, next_response_minutes=None, resolution_minutes=60)
    ticket = make_ticket(queue=make_queue("Support"))
    clock.advance(minutes=10)
    mark_solved_by_requester(ticket=ticket, contact=ticket.requester)
    assert _sla(ticket).next_check_at is None
    assert list(WebhookDelivery.objects.values_list("event", flat=True)) == ["ticket.solved"]


def test_an_edited_policy_reaches_new_tickets_without_a_restart(clock):
    policy = make_policy(first_response_minutes=60)
    queue = make_queue("Support")
    make_ticket(queue=queue)
    policy.first_response_minutes = 5
    policy.save()
    sla = _sla(make_ticket(queue=queue))
    assert sla.first_response_due == datetime(2026, 3, 2, 8, 5, tzinfo=UTC)


def test_creating_a_ticket_costs_one_query_for_the_sla(clock, django_assert_num_queries):
    make_policy()
    queue = make_queue("Support")
    make_ticket(queue=queue)  # warms the policy cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        make_ticket(queue=queue, email="other@example.com")
    sla_queries = [q["sql"] for q in ctx.captured_queries if "tickets_ticketsla" in q["sql"]]
    policy_queries = [q["sql"] for q in ctx.captured_queries if "slapolicy" in q["sql"]]
    assert len(sla_queries) == 1 and not policy_queries


def test_broken_business_hours_saved_around_validation_never_block_new_tickets(clock):
    queue = make_queue("Support")
    queue.calendar = office_hours()
    queue.save()
    make_policy(first_response_minutes=60)
    type(queue.calendar).objects.update(weekly_hours={"0": [["17:00", "09:00"]]})
    sla = _sla(make_ticket(queue=queue))  # falls back to around the clock
    assert sla.first_response_due == datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def test_backfill_gives_older_open_tickets_an_sla_state_once(clock):
    from io import StringIO

    from django.core.management import call_command

    queue = make_queue("Support")
    old = make_ticket(queue=queue)
    TicketSla.objects.all().delete()  # as if created before SLA policies existed
    make_policy(first_response_minutes=60)
    out = StringIO()
    call_command("backfill_sla", stdout=out)
    assert "for 1 open tickets" in out.getvalue()
    assert _sla(old).first_response_due == datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    call_command("backfill_sla", stdout=out)
    assert TicketSla.objects.count() == 1
