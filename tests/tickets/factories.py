"""Helpers for ticket tests: tickets are made through the services, as in production."""

from __future__ import annotations

from customers.services import get_or_create_contact
from tickets.models import Queue
from tickets.services import create_ticket


def make_queue(name: str = "Support", *, members=(), is_default: bool = False) -> Queue:
    queue = Queue.objects.create(
        name=name, slug=name.lower().replace(" ", "-"), is_default=is_default
    )
    queue.members.set(members)
    return queue


def make_ticket(
    *,
    subject: str = "My parcel has not arrived",
    body: str = "Order NW-12345 was due last week.",
    email: str = "casey@example.com",
    name: str = "Casey",
    queue: Queue | None = None,
    channel: str = "web",
    user=None,
    **kwargs,
):
    requester = get_or_create_contact(email=email, name=name)
    if user is not None and requester.user_id is None:
        requester.user = user
        requester.save(update_fields=["user"])
    return create_ticket(
        subject=subject, body=body, requester=requester, channel=channel, queue=queue, **kwargs
    )
