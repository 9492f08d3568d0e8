"""The roll-up reads the events the apps really record (chat, tickets) and business hours."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.utils import timezone

from analytics.filters import Filters
from analytics.models import DailyMetric, TicketFact
from analytics.rollup import rollup_day
from analytics.selectors import build_dashboard

pytestmark = pytest.mark.django_db


@pytest.fixture
def widget(monkeypatch):
    from chatbot import bots
    from chatbot.demo import load
    from tickets.models import Queue

    monkeypatch.setattr(bots, "team_available", lambda widget, bot: True)
    Queue.objects.create(name="General", slug="general", is_default=True)
    return load(io.StringIO())


def test_a_real_chat_escalation_and_an_abandoned_chat_are_counted(widget):
    from chatbot.services import send_message, start_conversation

    talked, _token, _greeting = start_conversation(widget=widget, language="en")
    send_message(conversation=talked, text="Where is my order?")
    send_message(conversation=talked, text="I want to talk to a human")
    send_message(conversation=talked, text="casey@example.com")
    talked.refresh_from_db()
    assert talked.ticket_id is not None
    start_conversation(widget=widget, language="en")  # opened, never typed in
    today = timezone.now().date()
    rollup_day(today)
    result = build_dashboard(Filters(today, today))
    outcomes = {row[0]: row[1] for row in result["bot_containment"].rows}
    assert (outcomes["Contained"], outcomes["Escalated"], outcomes["Abandoned"]) == (0, 1, 1)
    assert [row[1] for row in result["funnel"].rows] == [2, 1, 1, 1, 1, 1]
    steps = {row[1] for row in result["escalation_sources"].rows if row[0] == "Flow step"}
    assert steps and "(none)" not in steps
    created = DailyMetric.objects.get(day=today, metric="tickets_created")
    assert (created.channel, created.queue_id) == ("widget", talked.ticket.queue_id)


def test_durations_count_only_the_queues_business_hours(agent):
    from customers.services import get_or_create_contact
    from tickets.models import BusinessHours, Queue

    from .scenario import DAY, _ticket, at, ev

    hours = BusinessHours.objects.create(
        name="Office", timezone="UTC", weekly_hours={str(d): [["09:00", "17:00"]] for d in range(5)}
    )
    queue = Queue.objects.create(name="Office", slug="office", calendar=hours)
    ann = get_or_create_contact(email="ann@example.com")
    # Tuesday 16:00 -> Wednesday 10:00: 18 hours on the clock, 2 in business hours.
    ticket = _ticket(queue, ann, "email", at(16), at(10, day=DAY + timedelta(days=1)))
    ev("ticket.created", at(16), ticket=ticket.pk)
    rollup_day(DAY)
    fact = TicketFact.objects.get(ticket_id=ticket.pk)
    assert (fact.first_response_seconds, fact.first_response_business_seconds) == (64800, 7200)
