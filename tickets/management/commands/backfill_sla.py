"""Create the SLA state of open tickets that have none (tickets from before SLA policies
existed, or bulk-imported ones); safe to run again: tickets with a state are skipped."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction
from django.utils import timezone

from tickets.models import OPEN_STATUSES, Ticket, TicketSla
from tickets.services.sla import PAUSED_STATUSES, compute_state, sla_config


class Command(BaseCommand):
    help = "Create missing SLA state for open tickets (idempotent)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch", type=int, default=2000)

    def handle(self, *args, batch: int, **options) -> None:
        created, now = 0, timezone.now()
        while True:
            tickets = list(
                Ticket.objects.filter(status__in=OPEN_STATUSES, sla__isnull=True)
                .select_related("requester")
                .order_by("pk")[:batch]
            )
            if not tickets:
                break
            config = sla_config()
            states = []
            for ticket in tickets:
                policy = config.policy_for(ticket, ticket.requester.organisation_id)
                state = TicketSla(ticket=ticket, policy_id=policy.id if policy else None)
                if ticket.status in PAUSED_STATUSES:
                    state.paused_since = ticket.updated_at  # best known start of the wait
                compute_state(ticket, state, config, now)
                states.append(state)
            with transaction.atomic():
                TicketSla.objects.bulk_create(states, ignore_conflicts=True)
            created += len(states)
        self.stdout.write(f"SLA state created for {created} open tickets.")
