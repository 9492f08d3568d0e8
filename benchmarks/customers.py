"""Customers at scale: a 100,000-row contact CSV imported (then re-imported) with its peak
memory, and a timeline page for a contact with thousands of events among many others.

Run: .venv/bin/python benchmarks/customers.py [--rows 100000] [--events 5000] [--others 500000]
Needs PostgreSQL on 127.0.0.1:5432 (trust auth). Uses the database `helpdesk_bench_customers`
(dropped and re-created). The import runs as `manage.py import_contacts` in a child process so
that its peak memory (`ru_maxrss` of the child) is its own.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from benchmarks.common import PY, ROOT, bench_env, manage

DB = "helpdesk_bench_customers"


def write_csv(path: str, rows: int, *, name: str = "Customer Number") -> None:
    rng = random.Random(8)
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            [
                "email",
                "name",
                "phone",
                "language",
                "time_zone",
                "organisation",
                "tags",
                "notes",
                "attr:plan",
                "attr:purchases",
            ]
        )
        for i in range(rows):
            bad = i % 100 == 99  # 1% of rows carry an error
            writer.writerow(
                [
                    f"customer{i}@example.com" if not bad else f"customer{i}-at-example.com",
                    f"{name} {i}",
                    f"+358 40 {i:07d}",
                    rng.choice(["en", "fi", "ar", "zh-hans"]),
                    "Europe/Helsinki",
                    f"Company {i % 500}",
                    rng.choice(["vip", "beta;vip", "", "trial"]),
                    "Imported from the old CRM",
                    rng.choice(["free", "gold"]),
                    str(rng.randint(0, 40)),
                ]
            )


# The import in a child process that reports its own peak RSS (KiB) as its last line.
_CHILD = (
    "import resource, runpy, sys; sys.argv = ['manage.py', 'import_contacts', sys.argv[1]]; "
    "runpy.run_path('manage.py', run_name='__main__'); "
    "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)"
)


def run_import(env: dict, path: str) -> tuple[float, float, str]:
    started = time.perf_counter()
    result = subprocess.run(
        [PY, "-c", _CHILD, path], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    elapsed = time.perf_counter() - started
    *lines, peak_kib = result.stdout.strip().splitlines()
    return elapsed, int(peak_kib) / 1024, " ".join(lines)


def _copy_events(contact_id: int, events: int, others: int) -> None:
    """COPY `others` events of other contacts and `events` of this one into the event log."""
    from django.db import connection

    from customers.models import Contact

    start = datetime(2025, 1, 1, tzinfo=UTC)
    ids = list(Contact.objects.values_list("pk", flat=True)[:50_000])
    kinds = ["ticket.created", "kb.article_viewed", "chat.session_started", "ticket.rated"]
    rows = io.StringIO()
    for i in range(others):
        when = (start + timedelta(seconds=i * 60)).isoformat()
        rows.write(
            f"kb.article_viewed\t{when}\t\tother-{i % 20000}\t{random.choice(ids)}\ten\t{{}}\n"
        )
    for i in range(events):
        when = (start + timedelta(seconds=i * 3600)).isoformat()
        data = f'{{"n": {i}}}'
        rows.write(f"{kinds[i % 4]}\t{when}\t\tmine-{i % 300}\t{contact_id}\ten\t{data}\n")
    rows.seek(0)
    columns = "kind, occurred_at, visitor_id, session_id, contact_id, language, data"
    with connection.cursor() as cursor:
        cursor.copy_expert(f"COPY helpdesk_event ({columns}) FROM STDIN", rows)
        cursor.execute("ANALYZE helpdesk_event")


def _timed(fn, n: int = 50) -> tuple[float, float]:
    fn()
    out = []
    for _ in range(n):
        started = time.perf_counter()
        fn()
        out.append((time.perf_counter() - started) * 1000)
    return statistics.median(out), statistics.quantiles(out, n=20)[18]


def timeline_inside(events: int, others: int) -> None:
    """Runs inside `manage.py shell` (Django set up against the benchmark database)."""
    from customers.models import Contact
    from customers.timeline import timeline

    contact = Contact.objects.order_by("pk").first()
    _copy_events(contact.pk, events, others)
    first = _timed(lambda: timeline(contact.pk, limit=30))
    cursor = ""
    for _ in range(20):
        _items, cursor = timeline(contact.pk, cursor=cursor, limit=30)
    deep = _timed(lambda: timeline(contact.pk, cursor=cursor, limit=30))
    print(
        f"first page p50 {first[0]:.1f} ms p95 {first[1]:.1f} ms; "
        f"page 21 p50 {deep[0]:.1f} ms p95 {deep[1]:.1f} ms"
    )


def timeline_benchmark(env: dict, events: int, others: int) -> str:
    code = f"from benchmarks.customers import timeline_inside; timeline_inside({events}, {others})"
    result = subprocess.run(
        [PY, "manage.py", "shell", "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if result.returncode:
        raise RuntimeError(result.stderr)
    return result.stdout.strip()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--events", type=int, default=5_000)
    parser.add_argument("--others", type=int, default=500_000)
    args = parser.parse_args()
    env = bench_env(DB)
    for sql in (f"DROP DATABASE IF EXISTS {DB}", f"CREATE DATABASE {DB}"):
        subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", sql], check=True)
    manage(env, "migrate", "-v0")
    manage(
        env,
        "shell",
        "-c",
        "from customers.models import AttributeDefinition as A; "
        "A.objects.create(target='contact', key='plan', label='Plan', type='choice', "
        "choices=['free', 'gold']); A.objects.create(target='contact', key='purchases', "
        "label='Purchases', type='number')",
    )
    with tempfile.TemporaryDirectory() as tmp:
        runs = [("first import", "Customer Number"), ("same file again", "Customer Number"),
                ("every name changed", "Renamed Customer")]  # fmt: skip
        for label, name in runs:
            path = os.path.join(tmp, f"{label}.csv".replace(" ", "-"))
            write_csv(path, args.rows, name=name)
            size = os.path.getsize(path) / 1024 / 1024
            elapsed, peak, out = run_import(env, path)
            print(
                f"{label}: {args.rows} rows ({size:.1f} MiB): {elapsed:.1f} s, "
                f"{args.rows / elapsed:.0f} rows/s, peak RSS {peak:.0f} MiB — {out}"
            )
    print(
        f"timeline, {args.events} events of one contact among {args.others} others: "
        + timeline_benchmark(env, args.events, args.others)
    )


if __name__ == "__main__":
    main()
