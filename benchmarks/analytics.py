"""Analytics at scale: bulk-load N events, time the roll-up (and its peak memory), then the
dashboard's response time from the aggregates.

Run: .venv/bin/python benchmarks/analytics.py [--events 10000000] [--days 365] [--tickets N]
Needs PostgreSQL on 127.0.0.1:5432 (trust auth). Uses the database `helpdesk_bench_analytics`
(created and migrated the first time); tickets are bulk-created through the ORM, events are
generated here and loaded with COPY (psycopg2 `copy_expert`), topped up to --events. The
roll-up runs as `manage.py analytics_rollup` in a child process so that its peak memory
(`resource.getrusage(RUSAGE_CHILDREN).ru_maxrss`) is its own.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import statistics
import subprocess
import sys
import time
import uuid
from datetime import UTC, date, datetime, timedelta

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from benchmarks.common import PY, ROOT, bench_env, ensure_database, manage

DB = "helpdesk_bench_analytics"
BATCH = 200_000
LANGS = ["en"] * 6 + ["fi"] * 2 + ["ar", "zh-hans"]
WORDS = [
    "refund",
    "order",
    "parcel",
    "password",
    "invoice",
    "delivery",
    "courier",
    "return",
    "account",
    "login",
    "payment",
    "card",
    "address",
    "cancel",
    "warranty",
    "size",
]
COLUMNS = "kind, occurred_at, visitor_id, session_id, contact_id, language, data"


def _row(kind, when, visitor, session, contact, lang, data) -> str:
    contact = r"\N" if contact is None else str(contact)
    return (
        "\t".join(
            (
                kind,
                when.isoformat(),
                visitor,
                session,
                contact,
                lang,
                json.dumps(data, separators=(",", ":")),
            )
        )
        + "\n"
    )


def help_center_session(rng: random.Random, start: datetime, tickets: range) -> list[str]:
    """A help-center visit: searches, clicks, article views, sometimes a vote or a ticket."""
    lang, visitor, session = rng.choice(LANGS), uuid.uuid4().hex, uuid.uuid4().hex
    rows, when = [], start
    for _ in range(rng.choice((0, 1, 1, 1, 2, 3))):
        sid = uuid.uuid4().hex[:12]
        query = " ".join(rng.sample(WORDS, rng.choice((1, 1, 2, 3))))
        results = 0 if rng.random() < 0.12 else rng.randint(1, 40)
        rows.append(
            _row(
                "search.performed",
                when,
                visitor,
                session,
                None,
                lang,
                {"search_id": sid, "query": query, "results": results, "page": 1},
            )
        )
        if results and rng.random() < 0.6:
            when += timedelta(seconds=rng.randint(2, 40))
            rows.append(
                _row(
                    "search.result_clicked",
                    when,
                    visitor,
                    session,
                    None,
                    lang,
                    {"search_id": sid, "group": rng.randint(1, 3000), "position": 1},
                )
            )
        when += timedelta(seconds=rng.randint(5, 120))
    for _ in range(rng.choice((0, 1, 1, 2, 4))):
        article = rng.randint(1, 3000)
        rows.append(
            _row(
                "kb.article_viewed",
                when,
                visitor,
                session,
                None,
                lang,
                {"article": article, "group": article},
            )
        )
        if rng.random() < 0.05:
            rows.append(
                _row(
                    "kb.article_voted",
                    when,
                    visitor,
                    session,
                    None,
                    lang,
                    {"article": article, "value": rng.choice(("up", "down"))},
                )
            )
        when += timedelta(seconds=rng.randint(10, 300))
    if rng.random() < 0.04:
        rows += ticket_life(rng, when, session, lang, tickets, "web")
    return rows


def chat_session(rng: random.Random, start: datetime, tickets: range) -> list[str]:
    """A widget conversation: messages, articles shown, then resolved, escalated or left."""
    lang, session, conv = rng.choice(LANGS), str(uuid.uuid4()), rng.randint(1, 10**6)
    rows = [_row("chat.session_started", start, "", session, None, lang, {"conversation": conv})]
    when = start
    for _ in range(rng.choice((0, 1, 2, 3, 4))):
        when += timedelta(seconds=rng.randint(5, 60))
        rows.append(
            _row(
                "chat.message",
                when,
                "",
                session,
                None,
                lang,
                {"conversation": conv, "author": "customer"},
            )
        )
    fate = rng.random()
    if fate < 0.35:
        rows.append(
            _row(
                "chat.resolved_by_bot",
                when,
                "",
                session,
                None,
                lang,
                {"conversation": conv, "intent": rng.choice(WORDS)},
            )
        )
    elif fate < 0.55:
        rows += ticket_life(rng, when, session, lang, tickets, "widget", conversation=conv)
    elif fate < 0.75:
        rows.append(
            _row(
                "chat.abandoned",
                when + timedelta(minutes=30),
                "",
                session,
                None,
                lang,
                {"conversation": conv},
            )
        )
    return rows


def ticket_life(rng, when, session, lang, tickets, channel, conversation=None) -> list[str]:
    ticket, contact = rng.choice(tickets), rng.randint(1, 100_000)
    rows = []
    if conversation is not None:
        rows.append(
            _row(
                "chat.escalated",
                when,
                "",
                session,
                contact,
                lang,
                {"conversation": conversation, "ticket": ticket},
            )
        )
    rows.append(
        _row(
            "ticket.created",
            when,
            "",
            session,
            contact,
            lang,
            {"ticket": ticket, "channel": channel},
        )
    )
    first = when + timedelta(minutes=rng.randint(5, 60 * 30))
    rows.append(_row("ticket.first_response", first, "", "", None, "", {"ticket": ticket}))
    rows.append(_row("ticket.agent_replied", first, "", "", contact, "", {"ticket": ticket}))
    if rng.random() < 0.8:
        solved = first + timedelta(minutes=rng.randint(5, 60 * 48))
        rows.append(_row("ticket.solved", solved, "", "", contact, "", {"ticket": ticket}))
        if rng.random() < 0.3:
            rows.append(
                _row(
                    "ticket.rated",
                    solved + timedelta(hours=2),
                    "",
                    "",
                    contact,
                    "",
                    {"ticket": ticket, "rating": rng.choice(("good", "good", "bad"))},
                )
            )
    if rng.random() < 0.1:
        rows.append(_row("sla.breached", first, "", "", None, "", {"ticket": ticket}))
    return rows


def ensure_tickets(target: int) -> None:
    """Tickets for ticket events to point at (their rows give queue, channel and language)."""
    from customers.models import Contact
    from tickets.models import Channel, Queue, Ticket

    have = Ticket.objects.count()
    if have >= target:
        return
    queues = [
        Queue.objects.get_or_create(slug=f"bench-{i}", defaults={"name": f"Bench {i}"})[0]
        for i in range(5)
    ]
    contacts = Contact.objects.bulk_create(
        [Contact(name=f"Bench {i}", email=f"bench{i}-{have}@example.test") for i in range(1000)]
    )
    rng = random.Random(target)
    for start in range(have, target, 10_000):
        Ticket.objects.bulk_create(
            [
                Ticket(
                    subject="Bench",
                    requester=rng.choice(contacts),
                    queue=rng.choice(queues),
                    channel=rng.choice(Channel.values),
                    language=rng.choice(LANGS),
                )
                for _ in range(min(10_000, target - start))
            ]
        )
        print(f"  tickets: {min(target, start + 10_000):,}", flush=True)


def load_events(target: int, days: int, first_day: date) -> int:
    """Generate and COPY events until the table holds `target`; returns rows loaded."""
    from django.db import connection

    from helpdesk.models import Event
    from tickets.models import Ticket

    have = Event.objects.count()
    ids = Ticket.objects.order_by("pk").values_list("pk", flat=True)
    tickets = range(ids.first() or 1, (ids.last() or 1) + 1)
    rng = random.Random(have)
    origin = datetime(first_day.year, first_day.month, first_day.day, tzinfo=UTC)
    loaded, started = 0, time.monotonic()
    while have + loaded < target:
        buffer, n = io.StringIO(), 0
        while n < BATCH and have + loaded + n < target:
            start = origin + timedelta(seconds=rng.randint(0, days * 86400 - 3600))
            make = chat_session if rng.random() < 0.25 else help_center_session
            rows = make(rng, start, tickets) or [
                _row("kb.faq_opened", start, "v", "s", None, "en", {"faq": 1})
            ]
            buffer.writelines(rows)
            n += len(rows)
        buffer.seek(0)
        with connection.cursor() as cursor:
            cursor.cursor.copy_expert(f"COPY helpdesk_event ({COLUMNS}) FROM STDIN", buffer)
        loaded += n
        rate = loaded / (time.monotonic() - started)
        print(f"  loaded {have + loaded:,} events ({rate:,.0f}/s)", flush=True)
    if loaded:
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE helpdesk_event")
    return loaded


def time_rollup(env: dict, first_day: date, last_day: date) -> tuple[float, float]:
    """Seconds and peak MiB of `manage.py analytics_rollup` over the whole range.

    A wrapper process starts the roll-up as its only child, so RUSAGE_CHILDREN is the roll-up's.
    """
    command = [
        PY,
        "manage.py",
        "analytics_rollup",
        "--since",
        str(first_day),
        "--until",
        str(last_day),
    ]
    wrapper = (
        "import resource, subprocess, sys; subprocess.run(sys.argv[1:], check=True); "
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    started = time.monotonic()
    done = subprocess.run(
        [PY, "-c", wrapper, *command], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    )
    seconds = time.monotonic() - started
    return seconds, int(done.stdout.strip().splitlines()[-1]) / 1024


def time_dashboard(first_day: date, last_day: date, repeat: int) -> dict[str, list[float]]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from helpdesk.models import User

    admin, _ = User.objects.get_or_create(
        email="bench-analytics@example.test", defaults={"role": "admin", "is_superuser": True}
    )
    client = Client()
    client.force_login(admin)
    timings: dict[str, list[float]] = {}
    for label, start in (("30 days", last_day - timedelta(days=29)), ("whole range", first_day)):
        url = f"/desk/analytics/?start={start}&end={last_day}"
        client.get(url)
        times = []
        for _ in range(repeat):
            t0 = time.perf_counter()
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            times.append((time.perf_counter() - t0) * 1000)
        timings[f"{label} ({len(queries)} queries)"] = times
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=10_000_000)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--tickets", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--skip-rollup", action="store_true", help="time the dashboard only")
    args = parser.parse_args()
    env = bench_env(DB)
    env["ALLOWED_HOSTS"] += ",testserver"  # the in-process test client
    ensure_database(DB)
    manage(env, "migrate", "--noinput", "-v0")
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "helpdesk.settings")
    import django

    django.setup()
    ensure_tickets(args.tickets)
    last_day = date(2026, 10, 31)
    first_day = last_day - timedelta(days=args.days - 1)
    t0 = time.monotonic()
    loaded = load_events(args.events, args.days, first_day)
    print(f"load: {loaded:,} events in {time.monotonic() - t0:.0f} s")
    if not args.skip_rollup:
        seconds, peak = time_rollup(env, first_day, last_day)
        print(f"roll-up of {args.days} days: {seconds:.1f} s, peak RSS {peak:.0f} MiB")
    manage(env, "collectstatic", "--noinput", "-v0")  # DEBUG=0 serves hashed static names
    for label, times in time_dashboard(first_day, last_day, args.repeat).items():
        p95 = sorted(times)[max(0, round(len(times) * 0.95) - 1)]
        print(f"dashboard {label}: p50 {statistics.median(times):.0f} ms, p95 {p95:.0f} ms")


if __name__ == "__main__":
    main()
