"""Who may see which ticket: the one place the ticket permission rules live.

- Customers see the tickets they requested (through their linked contact), nothing else.
- Agents see tickets in the queues they belong to, tickets assigned to them, and tickets in
  no queue yet; helpdesk admins see everything.
Everything else gets a 404, never a 403: a ticket's existence is not revealed.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from helpdesk.config_cache import cached_config

from .models import Queue, Ticket

MEMBERS_CONFIG = "queue-members"  # invalidated in apps.py when a membership, queue or user changes


def member_queue_ids(user) -> frozenset[int]:
    """The queues this user belongs to, from a per-process map of every membership (one small
    query when a membership changed, none otherwise)."""

    def load() -> dict[int, frozenset[int]]:
        members: dict[int, set[int]] = {}
        for user_id, queue_id in Queue.members.through.objects.values_list("user_id", "queue_id"):
            members.setdefault(user_id, set()).add(queue_id)
        return {user_id: frozenset(ids) for user_id, ids in members.items()}

    return cached_config(MEMBERS_CONFIG, load).get(user.pk, frozenset())


def _audience(user) -> str:
    """Which of the rules above applies: "nobody", "admin", "agent" or "customer"."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return "nobody"
    if user.is_helpdesk_admin:
        return "admin"
    return "agent" if user.is_agent else "customer"


def visible_tickets(user) -> QuerySet[Ticket]:
    qs = Ticket.objects.all()
    audience = _audience(user)
    if audience == "nobody":
        return qs.none()
    if audience == "admin":
        return qs
    if audience == "agent":
        # The queue ids themselves, not a join on queue members: no DISTINCT, so PostgreSQL
        # can walk the (queue, status, updated_at, id) index in order and stop after one page.
        my_queues = sorted(member_queue_ids(user))
        return qs.filter(Q(queue_id__in=my_queues) | Q(assignee=user) | Q(queue__isnull=True))
    return qs.filter(requester__user=user)


def visibility_key(user) -> tuple:
    """What visible_tickets(user)'s SQL depends on, to key a compiled query by
    (helpdesk.compiled): the same key, the same SQL."""
    audience = _audience(user)
    if audience == "agent":
        return (audience, user.pk, tuple(sorted(member_queue_ids(user))))
    return (audience, user.pk) if audience == "customer" else (audience,)


def can_see(user, ticket: Ticket) -> bool:
    """visible_tickets()'s rule for one ticket already read (no query for an agent; a
    customer's check reads ticket.requester)."""
    audience = _audience(user)
    if audience in ("nobody", "admin"):
        return audience == "admin"
    if audience == "agent":
        return (
            ticket.queue_id is None
            or ticket.assignee_id == user.pk
            or ticket.queue_id in member_queue_ids(user)
        )
    return ticket.requester.user_id is not None and ticket.requester.user_id == user.pk


def agent_can_see(user, ticket: Ticket) -> bool:
    return user.is_agent and can_see(user, ticket)


def get_visible_ticket(user, pk: int) -> Ticket:
    """The ticket if this user may see it; Http404 otherwise."""
    rows = visible_tickets(user).filter(pk=pk).select_related("requester", "queue", "assignee")
    ticket = next(iter(rows.order_by()[:1]), None)  # by primary key: no sort, unlike .first()
    if ticket is None:
        raise Http404
    return ticket
