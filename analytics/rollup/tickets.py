"""Per-ticket facts (durations in wall-clock and business time) for tickets active on a day."""

from __future__ import annotations

from datetime import date, datetime

from django.db.models import BigIntegerField, Q
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast

from helpdesk.models import Event
from tickets import sla as clock
from tickets.models import OPEN_STATUSES, Ticket
from tickets.services.sla import SlaConfig, sla_config

from ..models import TicketFact
from .sql import chunks, day_bounds

CHUNK = 500
FACT_FIELDS = [f.name for f in TicketFact._meta.concrete_fields if not f.primary_key]


def queue_calendar(config: SlaConfig, queue_id: int) -> clock.BusinessCalendar | None:
    """The queue's business hours from the SLA clock's config; None = around the clock."""
    calendar_id = config.queue_calendars.get(queue_id)
    return config.calendars.get(calendar_id) if calendar_id else None


def _seconds(start: datetime, end: datetime | None, calendar) -> tuple[int | None, int | None]:
    if end is None:
        return None, None
    wall = max(0, int((end - start).total_seconds()))
    if calendar is None or end <= start:
        return wall, wall
    return wall, int(clock.business_time_between(start, end, calendar).total_seconds())


def _fact(ticket: dict, breached: bool, config: SlaConfig) -> TicketFact:
    created = ticket["created_at"]
    calendar = queue_calendar(config, ticket["queue_id"]) if ticket["queue_id"] else None
    first_wall, first_business = _seconds(created, ticket["first_response_at"], calendar)
    solved = ticket["solved_at"] if ticket["status"] not in OPEN_STATUSES else None
    solve_wall, solve_business = _seconds(created, solved, calendar)
    return TicketFact(
        ticket_id=ticket["pk"],
        created_at=created,
        created_day=created.date(),
        language=ticket["language"] or "",
        channel=ticket["channel"] or "",
        queue_id=ticket["queue_id"] or 0,
        assignee_id=ticket["assignee_id"] or 0,
        is_open=ticket["status"] in OPEN_STATUSES,
        first_response_seconds=first_wall,
        first_response_business_seconds=first_business,
        resolution_seconds=solve_wall,
        resolution_business_seconds=solve_business,
        satisfaction=ticket["satisfaction"] or "",
        is_sla_breached=breached,
    )


def refresh_ticket_facts(day: date) -> int:
    """Rewrite the facts of every ticket with a ticket.* or sla.* event on `day`.

    A breach is never forgotten: the flag is OR-ed with the stored one, so re-running any day
    in any order gives the same facts.
    """
    start, end = day_bounds(day)
    events = Event.objects.filter(occurred_at__gte=start, occurred_at__lt=end).filter(
        Q(kind__startswith="ticket.") | Q(kind__startswith="sla.")
    )
    tid = Cast(KeyTextTransform("ticket", "data"), BigIntegerField())
    breached = set(events.filter(kind="sla.breached").annotate(t=tid).values_list("t", flat=True))
    ids = events.annotate(t=tid).filter(t__isnull=False).values_list("t", flat=True).distinct()
    config = sla_config()
    batches = chunks(ids.iterator(chunk_size=5000), CHUNK)
    return sum(_write(batch, breached, config) for batch in batches)


def _write(ids: list[int], breached: set[int], config: SlaConfig) -> int:
    fields = (
        "pk",
        "created_at",
        "language",
        "channel",
        "queue_id",
        "assignee_id",
        "status",
        "first_response_at",
        "solved_at",
        "satisfaction",
    )
    tickets = Ticket.objects.filter(pk__in=ids).values(*fields)
    known = set(
        TicketFact.objects.filter(ticket_id__in=ids, is_sla_breached=True).values_list(
            "ticket_id", flat=True
        )
    )
    facts = [_fact(t, t["pk"] in breached or t["pk"] in known, config) for t in tickets]
    TicketFact.objects.bulk_create(
        facts, update_conflicts=True, unique_fields=["ticket_id"], update_fields=FACT_FIELDS
    )
    return len(facts)
