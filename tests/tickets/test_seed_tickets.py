"""manage.py seed_tickets: bulk scale data, topped up to a count (resumable)."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from customers.models import Contact
from tickets.models import Message, MessageKind, Queue, Ticket

pytestmark = pytest.mark.django_db


def test_seeding_200_tickets_writes_them_with_contacts_queues_and_messages():
    call_command("seed_tickets", "200", "--queues", "3", "--messages-per-ticket", "3")
    assert Ticket.objects.count() == 200
    assert Message.objects.count() == 600
    assert Contact.objects.count() == 50
    assert Queue.objects.count() == 3
    assert Ticket.objects.values("status").distinct().count() >= 4
    assert Ticket.objects.filter(queue__isnull=True).count() == 0
    assert Message.objects.filter(kind=MessageKind.INTERNAL).exists()
    newest = Ticket.objects.order_by("-created_at").first().created_at
    oldest = Ticket.objects.order_by("created_at").first().created_at
    assert (newest - oldest).days > 30  # dates are spread, not all "now"


def test_seeding_again_tops_up_to_the_count():
    call_command("seed_tickets", "120", "--messages-per-ticket", "1")
    call_command("seed_tickets", "150", "--messages-per-ticket", "1")
    call_command("seed_tickets", "150", "--messages-per-ticket", "1")
    assert Ticket.objects.count() == 150
    assert Message.objects.count() == 150
    assert Ticket.objects.order_by("-pk").first().messages.count() == 1
