"""Automatic assignment: snapshots for the pure strategies, row locks for the capacity rule.

Choosing is optimistic (one query reads the queue's online agents and their loads); the
chosen agent's AgentStatus row is then locked and their open tickets counted again in a new
statement, so two tickets routed at once can never push an agent past capacity: the second
waits for the first to commit and then sees its ticket.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from helpdesk.celery import enqueue_on_commit
from helpdesk.events import record_event

from .. import routing
from ..models import (
    AgentStatus,
    Availability,
    Priority,
    Queue,
    RoutingStrategy,
    Status,
    Ticket,
)

logger = logging.getLogger(__name__)
# Tickets a routed agent is working on: an assigned ticket waiting on the customer still counts.
LOAD_STATUSES = (Status.NEW, Status.OPEN, Status.PENDING, Status.ON_HOLD)
TOUCH_EVERY = 60  # seconds between last_seen writes for one agent


def _open_count(user_ref) -> Subquery:
    counted = (
        Ticket.objects.filter(assignee=user_ref, status__in=LOAD_STATUSES)
        .order_by()
        .values("assignee")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def agent_snapshots(queue: Queue) -> list[routing.AgentSnapshot]:
    """The queue's members who are online, with their loads (one query)."""
    rows = (
        AgentStatus.objects.filter(
            user__queues=queue, user__is_active=True, availability=Availability.ONLINE
        )
        .annotate(open_tickets=_open_count(OuterRef("user_id")))
        .values("user_id", "capacity", "skills", "last_assigned_at", "open_tickets")
    )
    return [
        routing.AgentSnapshot(
            id=row["user_id"],
            availability=routing.Availability.ONLINE,
            open_tickets=row["open_tickets"],
            capacity=row["capacity"],
            skills=frozenset(str(s) for s in row["skills"] or ()),
            last_assigned_at=row["last_assigned_at"],
        )
        for row in rows
    ]


def _snapshot(queue: Queue, language: str, tags: frozenset[str], agents) -> routing.TicketSnapshot:
    # Only tags that some candidate has as a skill demand one ("vip" is not a skill).
    skills = {skill.casefold() for agent in agents for skill in agent.skills}
    demanding = frozenset(tag for tag in tags if tag.casefold() in skills)
    return routing.TicketSnapshot(id=0, queue=queue.slug, language=language or None, tags=demanding)


def claim_agent(
    queue: Queue | None, *, language: str = "", tags: frozenset[str] = frozenset()
) -> int | None:
    """Pick and lock an agent for a new ticket in `queue`; None when it should wait.

    Call inside the transaction that assigns the ticket: the lock is held until it commits.
    """
    if queue is None or queue.routing_strategy == RoutingStrategy.MANUAL:
        return None
    agents = agent_snapshots(queue)
    while agents:
        ticket = _snapshot(queue, language, tags, agents)
        chosen = routing.choose_agent(queue.routing_strategy, ticket, agents)
        if chosen is None:
            return None
        if _lock_if_room(chosen):
            return chosen
        agents = [agent for agent in agents if agent.id != chosen]  # full or gone: next best
    return None


class _NoRoom(Exception):
    """Rolls the savepoint back, which releases the lock on a full agent."""


def _lock_if_room(user_id: int) -> bool:
    """Lock the agent's row if they can take a ticket; otherwise hold no lock on it.

    The lock is taken inside a savepoint so that a full agent's lock is released before the
    next candidate is tried: a transaction waits for at most one agent row while holding no
    other, so two tickets routed at once cannot deadlock (T1 holds full A and waits for B
    while T2 holds full B and waits for A).
    """
    try:
        with transaction.atomic():
            status = (
                AgentStatus.objects.select_for_update()
                .filter(pk=user_id, availability=Availability.ONLINE)
                .first()
            )
            if status is None:
                return False
            if status.capacity is not None:
                # A new statement after the lock: it sees tickets committed while we waited.
                load = Ticket.objects.filter(assignee_id=user_id, status__in=LOAD_STATUSES).count()
                if load >= status.capacity:
                    raise _NoRoom
            AgentStatus.objects.filter(pk=user_id).update(last_assigned_at=timezone.now())
            return True
    except _NoRoom:
        return False


def announce_assignment(ticket: Ticket, *, by: str) -> None:
    """The analytics event (and webhook) for an assignment."""
    from .webhooks import queue_webhooks

    data = {"ticket": ticket.pk, "assignee": ticket.assignee_id, "by": by}
    record_event(kind="ticket.assigned", contact_id=ticket.requester_id, data=data)
    queue_webhooks("ticket.assigned", ticket, {"assignee": ticket.assignee_id, "by": by})


def waiting_tickets(queue: Queue):
    """Unassigned open tickets of a queue, most urgent and oldest first."""
    rank = {p: i for i, p in enumerate(reversed(Priority.values))}
    tickets = Ticket.objects.filter(
        queue=queue, assignee__isnull=True, status__in=(Status.NEW, Status.OPEN)
    ).only("pk", "priority", "created_at")
    return sorted(tickets[:1000], key=lambda t: (rank.get(t.priority, 9), t.created_at, t.pk))


def route_waiting(*, queue_ids: list[int] | None = None, limit: int = 200) -> int:
    """Assign waiting tickets in routed queues to available agents; returns how many."""
    from .core import assign_waiting_ticket

    queues = Queue.objects.exclude(routing_strategy=RoutingStrategy.MANUAL)
    if queue_ids is not None:
        queues = queues.filter(pk__in=queue_ids)
    assigned = 0
    for queue in queues:
        for waiting in waiting_tickets(queue):
            if assigned >= limit:
                return assigned
            outcome = assign_waiting_ticket(ticket_id=waiting.pk, queue=queue)
            if outcome is None:  # nobody available: the rest of this queue waits too
                break
            assigned += outcome
    return assigned


def set_availability(*, user, availability: str, capacity=..., skills=...) -> AgentStatus:
    """An agent goes online, away or offline (and may change capacity or skills)."""
    if availability not in Availability.values:
        raise ValueError(f"unknown availability {availability!r}")
    with transaction.atomic():
        status, _ = AgentStatus.objects.select_for_update().get_or_create(user=user)
        was_online = status.availability == Availability.ONLINE
        status.availability, status.is_auto_away = availability, False
        status.last_seen_at = timezone.now()
        if capacity is not ...:
            status.capacity = capacity
        if skills is not ...:
            status.skills = sorted({str(s).strip() for s in skills if str(s).strip()})
        status.save()
        if availability == Availability.ONLINE and not was_online:
            from ..tasks import route_waiting_tickets

            queue_ids = list(user.queues.values_list("pk", flat=True))
            enqueue_on_commit(route_waiting_tickets, queue_ids)
    return status


def availability_of(user) -> str:
    """The agent's availability (offline until they first choose)."""
    status = AgentStatus.objects.filter(pk=user.pk).values_list("availability", flat=True)
    return next(iter(status), Availability.OFFLINE)


def touch_agent(user) -> None:
    """Record activity (at most one write a minute); auto-away agents come back online."""
    if not cache.add(f"agent:touch:{user.pk}", 1, TOUCH_EVERY):
        return
    now = timezone.now()
    AgentStatus.objects.filter(pk=user.pk).update(last_seen_at=now)
    returned = AgentStatus.objects.filter(pk=user.pk, is_auto_away=True).update(
        availability=Availability.ONLINE, is_auto_away=False
    )
    if returned:
        from ..tasks import route_waiting_tickets

        enqueue_on_commit(route_waiting_tickets, list(user.queues.values_list("pk", flat=True)))


def mark_idle_agents_away(*, now: datetime | None = None) -> int:
    """Online agents silent for AGENT_AWAY_AFTER_MINUTES become away (routing skips them)."""
    cutoff = (now or timezone.now()) - timedelta(minutes=settings.AGENT_AWAY_AFTER_MINUTES)
    idle = Q(last_seen_at__lt=cutoff) | Q(last_seen_at__isnull=True)
    return AgentStatus.objects.filter(idle, availability=Availability.ONLINE).update(
        availability=Availability.AWAY, is_auto_away=True
    )
