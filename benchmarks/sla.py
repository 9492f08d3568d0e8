"""The minute SLA check over 100,000 open tickets on PostgreSQL: time per run.

Run: .venv/bin/python benchmarks/sla.py [--tickets 100000] [--runs 5]
Needs PostgreSQL on 127.0.0.1:5432 (trust auth). Recreates the database `helpdesk_bench_sla`
each run. Tickets are bulk-inserted (created over the last 10 days, Helsinki office hours,
first response 4 h / resolution 40 h in business time) and their SLA state is computed in
Python exactly as `create_ticket` does; then the beat task's function is timed:

- catch-up: the first check after seeding, when every warning and breach of 10 days is due
  (the worst case, as after a long beat outage);
- repeat: the same check again (must find nothing: idempotency at scale);
- minute: checks one minute apart afterwards (the steady state);
- full re-evaluation: evaluate every open ticket's clock in Python, for comparison with a
  design that scans all open tickets every minute.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import time
from datetime import timedelta

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from benchmarks.common import bench_env

DB = "helpdesk_bench_sla"


def recreate_database() -> None:
    for sql in (f"DROP DATABASE IF EXISTS {DB}", f"CREATE DATABASE {DB}"):
        subprocess.run(
            ["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", sql],
            check=True,
            capture_output=True,
        )


def setup_django() -> None:
    env = bench_env(DB)
    env["REDIS_URL"] = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/11")
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "helpdesk.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", "--noinput", verbosity=0)


def seed(count: int):
    """Bulk-insert `count` open tickets and their SLA rows; returns the seeding `now`."""
    from django.utils import timezone

    from customers.models import Contact
    from tickets.models import BusinessHours, Queue, SlaPolicy, Ticket, TicketSla
    from tickets.services.sla import compute_state, sla_config

    # A Wednesday at 13:00 in Helsinki, so that the minutes after it are business time.
    today = timezone.now().replace(hour=11, minute=0, second=0, microsecond=0)
    now = today - timedelta(days=(today.weekday() - 2) % 7 or 7)
    calendar = BusinessHours.objects.create(
        name="Helsinki office",
        timezone="Europe/Helsinki",
        weekly_hours={str(d): [["08:00", "18:00"]] for d in range(5)},
    )
    queue = Queue.objects.create(name="Support", slug="support", is_default=True, calendar=calendar)
    SlaPolicy.objects.create(
        name="Standard",
        first_response_minutes=240,
        next_response_minutes=480,
        resolution_minutes=2400,
    )
    contacts = Contact.objects.bulk_create(
        [Contact(email=f"c{n}@bench.example.test", name=f"C {n}") for n in range(1000)]
    )
    rng = random.Random(7)
    config, started, computed = sla_config(), time.perf_counter(), 0.0
    for offset in range(0, count, 5000):
        size = min(5000, count - offset)
        created = [now - timedelta(seconds=rng.randrange(10 * 86400)) for _ in range(size)]
        tickets = Ticket.objects.bulk_create(
            [
                Ticket(
                    subject=f"Bench {offset + n}",
                    channel="web",
                    queue=queue,
                    requester=contacts[(offset + n) % 1000],
                    status=rng.choice(["new", "open"]),
                    priority="normal",
                )
                for n in range(size)
            ]
        )
        for ticket, at in zip(tickets, created, strict=True):
            ticket.created_at = at
        Ticket.objects.bulk_update(tickets, ["created_at"])
        states = [TicketSla(ticket=t, policy_id=config.policies[0].id) for t in tickets]
        tick = time.perf_counter()
        for ticket, state in zip(tickets, states, strict=True):
            compute_state(ticket, state, config, ticket.created_at)
        computed += time.perf_counter() - tick
        TicketSla.objects.bulk_create(states)
    from django.db import connection

    with connection.cursor() as cursor:  # as autovacuum would, before the first minute
        cursor.execute("ANALYZE tickets_ticketsla; ANALYZE tickets_ticket;")
    print(
        f"seeded {count:,} open tickets in {time.perf_counter() - started:.0f} s; "
        f"SLA state computed in Python: {computed / count * 1e6:.0f} µs per ticket"
    )
    return now


def timed(label: str, now, results: list) -> float:
    from helpdesk.models import Event
    from tickets.services.sla_check import check_sla_deadlines

    before = Event.objects.count()
    started = time.perf_counter()
    result = check_sla_deadlines(now=now)
    elapsed = time.perf_counter() - started
    events = Event.objects.count() - before
    results.append((label, elapsed, result.checked, events))
    print(
        f"{label:<28} {elapsed * 1000:>10.1f} ms  rows handled {result.checked:>7,}  "
        f"events {events:>7,}"
    )
    return elapsed


def explain_idle_check(now) -> None:
    """The plan of the check's query when nothing is due (the usual minute)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "EXPLAIN ANALYZE SELECT ticket_id FROM tickets_ticketsla WHERE next_check_at <= %s "
            "ORDER BY next_check_at, ticket_id LIMIT 500 FOR UPDATE SKIP LOCKED",
            [now],
        )
        for (line,) in cursor.fetchall():
            print("   ", line)


def full_reevaluation(now) -> float:
    """Evaluate every open ticket's clock in Python (what a scan-everything design costs)."""
    from tickets import sla as clock
    from tickets.models import OPEN_STATUSES, TicketSla
    from tickets.services.sla import sla_config, times_of

    config = sla_config()
    policy = config.policies[0]
    rows = TicketSla.objects.select_related("ticket").filter(ticket__status__in=OPEN_STATUSES)
    started = time.perf_counter()
    for state in rows.iterator(chunk_size=5000):
        calendar = config.calendar_for(state.ticket, policy)
        clock.evaluate_sla(
            targets=policy.targets, times=times_of(state.ticket, state), calendar=calendar, now=now
        )
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    recreate_database()
    setup_django()
    now = seed(args.tickets)
    results: list = []
    timed("catch-up (10 days due)", now, results)
    timed("repeat at the same instant", now, results)
    explain_idle_check(now)
    minutes = [
        timed(f"minute {n}", now + timedelta(minutes=n), results) for n in range(1, args.runs + 1)
    ]
    print(
        f"steady minute: median {statistics.median(minutes) * 1000:.1f} ms, "
        f"max {max(minutes) * 1000:.1f} ms"
    )
    print(f"full Python re-evaluation of every open ticket: {full_reevaluation(now):.1f} s")


if __name__ == "__main__":
    main()
