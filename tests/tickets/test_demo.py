"""The demo loads queues, canned replies and conversations, and loads again without duplicates."""

import pytest
from django.core.management import call_command

from tickets.models import CannedResponse, Queue, Ticket


@pytest.mark.django_db
def test_demo_tickets_load_once_when_run_twice():
    call_command("load_demo")
    counts = (Queue.objects.count(), CannedResponse.objects.count(), Ticket.objects.count())
    call_command("load_demo")
    assert (Queue.objects.count(), CannedResponse.objects.count(), Ticket.objects.count()) == counts
    assert counts[0] == 3 and counts[2] == 4
    assert Queue.objects.get(slug="support").members.count() == 2
