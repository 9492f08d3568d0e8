"""Who may see which ticket: the one place the ticket permission rules live.

- Customers see the tickets they requested (through their linked contact), nothing else.
- Agents see tickets in the queues they belong to, tickets assigned to them, and tickets in
  no queue yet; helpdesk admins see everything.
Everything else gets a 404, never a 403: a ticket's existence is not revealed.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from .models import Ticket


def visible_tickets(user) -> QuerySet[Ticket]:
    qs = Ticket.objects.all()
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return qs.none()
    if user.is_helpdesk_admin:
        return qs
    if user.is_agent:
        # A subquery, not a join on queue members: no DISTINCT, so PostgreSQL can walk the
        # (queue, status, updated_at, id) index in order and stop after one page.
        my_queues = user.queues.values("pk")
        return qs.filter(Q(queue__in=my_queues) | Q(assignee=user) | Q(queue__isnull=True))
    return qs.filter(requester__user=user)


def agent_can_see(user, ticket: Ticket) -> bool:
    return visible_tickets(user).filter(pk=ticket.pk).exists() if user.is_agent else False


def get_visible_ticket(user, pk: int) -> Ticket:
    """The ticket if this user may see it; Http404 otherwise."""
    rows = visible_tickets(user).filter(pk=pk).select_related("requester", "queue", "assignee")
    ticket = next(iter(rows.order_by()[:1]), None)  # by primary key: no sort, unlike .first()
    if ticket is None:
        raise Http404
    return ticket
