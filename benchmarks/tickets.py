"""Ticket API at scale: list, detail, overview counts and creation on PostgreSQL + gunicorn.

Run: .venv/bin/python benchmarks/tickets.py [--tickets 1000000] [--seconds 15]
Needs PostgreSQL on 127.0.0.1:5432 (trust auth) and Redis; creates the database
`helpdesk_bench_tickets` the first time, tops it up to --tickets with `seed_tickets`
(resumable) and reuses it afterwards. Reads are one request at a time; creation runs
--concurrency clients against 2 gunicorn workers. Tickets created here stay in the database.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import statistics
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from benchmarks.common import (
    ROOT,
    Gunicorn,
    Recorder,
    bench_env,
    ensure_database,
    manage,
    run_clients,
    timed_request,
)

DB = "helpdesk_bench_tickets"
SETUP = """
import json
from importlib import import_module
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from rest_framework.authtoken.models import Token
from helpdesk.models import User
from tickets.models import Ticket
agent = User.objects.get(email="agent0@seed.example.test")
admin, _ = User.objects.get_or_create(email="bench-admin@seed.example.test",
                                      defaults={"role": "admin", "name": "Bench Admin"})
queue = agent.queues.order_by("pk").first()
ids = list(Ticket.objects.filter(queue=queue).order_by("-id").values_list("pk", flat=True)[:2000])
session = import_module(settings.SESSION_ENGINE).SessionStore()
session.update({SESSION_KEY: str(agent.pk), HASH_SESSION_KEY: agent.get_session_auth_hash(),
                BACKEND_SESSION_KEY: "django.contrib.auth.backends.ModelBackend"})
session.create()
print(json.dumps({
    "agent_token": Token.objects.get_or_create(user=agent)[0].key,
    "admin_token": Token.objects.get_or_create(user=admin)[0].key,
    "queue": queue.pk, "ids": ids,
    "cookie": f"{settings.SESSION_COOKIE_NAME}={session.session_key}",
}))
"""


def prepare(env: dict[str, str], tickets: int) -> dict:
    ensure_database(DB)
    manage(env, "migrate", "--noinput", "-v0")
    started = time.monotonic()
    print(
        manage(env, "seed_tickets", str(tickets)).strip(), f"({time.monotonic() - started:.0f} s)"
    )
    return json.loads(manage(env, "shell", "-v0", "-c", SETUP).strip().splitlines()[-1])


def in_process(env: dict[str, str], info: dict) -> None:
    """Queries per request, EXPLAIN ANALYZE of the list queries, and the overview counts."""
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "helpdesk.settings")
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")
    for who in ("agent", "admin"):
        auth = {"HTTP_AUTHORIZATION": f"Token {info[who + '_token']}"}
        for name, path in _read_paths(info).items():
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(path, **auth).status_code == 200, path
            print(f"\n## {who}: {name} — {len(ctx)} queries")
            for query in ctx.captured_queries:
                if "tickets_ticket" in query["sql"] and "LIMIT" in query["sql"]:
                    _explain(connection, query["sql"])
    name, value = info["cookie"].split("=", 1)
    client.cookies[name] = value
    for path in (f"/desk/?queue={info['queue']}&status=open", f"/desk/tickets/{info['ids'][0]}/"):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(path).status_code == 200, path
        print(f"\n## agent (desk): {path} — {len(ctx)} queries")
    _proposed_visibility(connection)
    _overview_counts(connection)


def _proposed_visibility(connection) -> None:
    """The agent's list with the selector's rule written without JOIN + DISTINCT (a proposal)."""
    from django.db.models import Q

    from helpdesk.models import User
    from tickets.models import Ticket

    agent = User.objects.get(email="agent0@seed.example.test")
    rule = Q(queue__in=agent.queues.values("pk")) | Q(assignee=agent) | Q(queue__isnull=True)
    rows = (
        Ticket.objects.filter(rule, queue=agent.queues.order_by("pk").first(), status="open")
        .select_related("queue", "assignee", "requester")
        .order_by("-updated_at", "-id")[:26]
    )
    sql, params = rows.query.sql_with_params()
    print("\n## agent list with the proposed visible_tickets() rule (no JOIN, no DISTINCT)")
    with connection.cursor() as cursor:
        _explain(connection, cursor.mogrify(sql, params).decode())


def _read_paths(info: dict) -> dict[str, str]:
    return {
        "list": f"/api/v1/tickets/?queue={info['queue']}&status=open",
        "detail": f"/api/v1/tickets/{info['ids'][0]}/",
    }


def _explain(connection, sql: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
        print("```\n" + sql[:600] + "\n" + "\n".join(r[0] for r in cursor.fetchall()) + "\n```")


def _overview_counts(connection) -> None:
    from django.db.models import Count

    from helpdesk.models import User
    from tickets.listing import sidebar_views
    from tickets.models import Ticket

    for email in ("agent0@seed.example.test", "bench-admin@seed.example.test"):
        user = User.objects.get(email=email)
        timings = []
        for _ in range(5):
            started = time.perf_counter()
            views = sidebar_views(user)
            timings.append((time.perf_counter() - started) * 1000)
        shown = ", ".join(f"{v.label} {v.count}" for v in views)
        print(f"\n## desk overview counts for {email} ({shown})")
        print(f"median {statistics.median(timings):.1f} ms, min {min(timings):.1f} ms")

    timings = []
    for _ in range(5):
        started = time.perf_counter()
        rows = list(Ticket.objects.open().values("queue", "status").annotate(n=Count("id")))
        timings.append((time.perf_counter() - started) * 1000)
    print(f"\n## exact open tickets per queue and status, one GROUP BY ({len(rows)} rows; "
          "no page shows it: the desk shows the capped counts above)")  # fmt: skip
    print(f"median {statistics.median(timings):.1f} ms, min {min(timings):.1f} ms")
    sql = str(Ticket.objects.open().values("queue", "status").annotate(n=Count("id")).query)
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN ANALYZE " + sql.replace("IN (new, open, pending, on_hold)",
                       "IN ('new', 'open', 'pending', 'on_hold')"))  # fmt: skip
        print("```\n" + "\n".join(r[0] for r in cursor.fetchall()) + "\n```")


def timed(url: str, paths: Callable[[], str], headers: dict[str, str], seconds: float) -> dict:
    """One request at a time over a keep-alive connection; latency percentiles in ms."""
    conn = http.client.HTTPConnection("127.0.0.1", int(url.rsplit(":", 1)[1]), timeout=10)
    latencies, errors, stop = [], 0, time.monotonic() + seconds
    while time.monotonic() < stop:
        started = time.perf_counter()
        conn.request("GET", paths(), headers=headers)
        response = conn.getresponse()
        response.read()
        latencies.append((time.perf_counter() - started) * 1000)
        errors += response.status >= 400
    conn.close()
    q = statistics.quantiles(latencies * 2, n=100)  # * 2: at least two points when very slow
    return {"n": len(latencies), "p50": statistics.median(latencies), "p95": q[94], "err": errors}


def create_load(url: str, token: str, seconds: float, concurrency: int) -> dict:
    """`concurrency` clients POSTing new tickets (JSON, token auth) for `seconds`."""
    stop = time.monotonic() + seconds
    headers = {"Authorization": f"Token {token}", "Content-Type": "application/json"}

    def client(n: int, recorder: Recorder) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", int(url.rsplit(":", 1)[1]), timeout=10)
        i = 0
        while time.monotonic() < stop:
            email = f"bench{n}-{i % 500}@seed.example.test"
            body = json.dumps(
                {"subject": f"Bench {n}-{i}", "body": "Where?", "requester_email": email}
            )
            response, _, ms = timed_request(conn, "POST", "/api/v1/tickets/", body=body,
                                            headers=headers)  # fmt: skip
            recorder.add(ms, response.status == 201)
            i += 1
        conn.close()

    return run_clients(client, concurrency=concurrency)


def form_load(url: str, seconds: float, concurrency: int) -> dict:
    """`concurrency` visitors sending the public contact form (CSRF cookie, fresh form id each)."""
    stop = time.monotonic() + seconds
    token_re = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')

    def client(n: int, recorder: Recorder) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", int(url.rsplit(":", 1)[1]), timeout=10)
        response, page, _ = timed_request(conn, "GET", "/en/contact/")
        token = token_re.search(page.decode()).group(1)
        cookie = "; ".join(c.split(";", 1)[0] for c in response.msg.get_all("Set-Cookie"))
        headers = {"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded",
                   "Referer": f"{url}/en/contact/"}  # fmt: skip
        i = 0
        while time.monotonic() < stop:
            body = urlencode({
                "csrfmiddlewaretoken": token, "name": f"Visitor {n}", "form_id": str(uuid.uuid4()),
                "email": f"form{n}-{i % 500}@seed.example.test", "subject": f"Form {n}-{i}",
                "message": "My parcel has not arrived.", "website": "",
            })  # fmt: skip
            response, _, ms = timed_request(conn, "POST", "/en/contact/", body=body,
                                            headers=headers)  # fmt: skip
            recorder.add(ms, response.status == 302)
            i += 1
        conn.close()

    return run_clients(client, concurrency=concurrency)


def over_http(env: dict[str, str], info: dict, args: argparse.Namespace) -> None:
    rng = random.Random(1)
    agent = {"Authorization": f"Token {info['agent_token']}", "Accept-Language": "en"}
    admin = {"Authorization": f"Token {info['admin_token']}", "Accept-Language": "en"}
    desk = {"Cookie": info["cookie"], "Accept-Language": "en"}
    list_path = _read_paths(info)["list"]
    runs = {
        "API list, agent (queue member)": (lambda: list_path, agent),
        "API list, admin": (lambda: list_path, admin),
        "API detail, agent, random of 2,000": (
            lambda: f"/api/v1/tickets/{rng.choice(info['ids'])}/", agent),
    }  # fmt: skip
    runs["desk list /desk/, agent session"] = (
        lambda: f"/desk/?queue={info['queue']}&status=open", desk)  # fmt: skip
    runs["desk ticket page, agent session, random of 2,000"] = (
        lambda: f"/desk/tickets/{rng.choice(info['ids'])}/", desk)  # fmt: skip
    with Gunicorn(env) as server:
        print("\n| request | n | p50 ms | p95 ms | errors |\n|---|---|---|---|---|")
        for name, (paths, headers) in runs.items():
            timed(server.url, paths, headers, 2)  # warm up
            r = timed(server.url, paths, headers, args.seconds)
            print(f"| {name} | {r['n']} | {r['p50']:.1f} | {r['p95']:.1f} | {r['err']} |")
        r = create_load(server.url, info["agent_token"], args.seconds, args.concurrency)
        print(f"\ncreate (API): {r['ok']} tickets, {r['ok_per_s']:.0f}/s, {r['errors']} errors "
              f"({args.concurrency} clients, 2 workers)")  # fmt: skip
        r = form_load(server.url, args.seconds, args.concurrency)
        print(f"create (contact form): {r['ok']} tickets, {r['ok_per_s']:.0f}/s, "
              f"{r['errors']} errors ({args.concurrency} clients, 2 workers)")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tickets", type=int, default=1_000_000)
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--skip-http", action="store_true")
    args = parser.parse_args()
    # The contact form allows one address 10 tickets an hour; every client here is 127.0.0.1.
    env = {**bench_env(DB), "RATELIMIT_ENABLE": "0"}
    info = prepare(env, args.tickets)
    if not args.skip_http:
        over_http(env, info, args)
    in_process(env, info)


if __name__ == "__main__":
    Path(ROOT / "var").mkdir(exist_ok=True)
    main()
