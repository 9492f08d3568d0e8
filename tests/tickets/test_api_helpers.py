"""Helpers shared by the ticket API tests (no tests here): clients, queues, tickets."""

from __future__ import annotations

from rest_framework.test import APIClient

from customers.services import contact_for_user, get_or_create_contact
from tickets.models import Queue, Ticket
from tickets.services import create_ticket

BASE = "/api/v1/tickets/"


def client_for(user) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def make_queue(name: str = "Support", *members) -> Queue:
    queue = Queue.objects.create(name=name, slug=name.lower().replace(" ", "-"))
    queue.members.add(*members)
    return queue


def make_ticket(
    *, requester=None, email: str = "someone@example.com", queue: Queue | None = None, **kwargs
) -> Ticket:
    """A ticket opened by a signed-in customer (requester) or by email address."""
    contact = contact_for_user(requester) if requester else get_or_create_contact(email=email)
    fields = {"subject": "Parcel missing", "body": "Where is it?", "channel": "web", **kwargs}
    return create_ticket(requester=contact, queue=queue, **fields)


def url(ticket: Ticket, suffix: str = "") -> str:
    return f"{BASE}{ticket.pk}/{suffix}"
