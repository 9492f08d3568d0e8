"""Chat widget API under load: message endpoint p50/p95 and messages/s, and the widget's size.

Run: .venv/bin/python benchmarks/chat.py [--seconds 20] [--concurrency 4]
Uses the database and search index of benchmarks/kb_pages.py (`helpdesk_bench_kb`, 10,000
articles: the bot's article answers search them), the demo widget, gunicorn with 2 workers,
and concurrent conversations from client threads on the same machine. Rate limits are off
(RATELIMIT_ENABLE=0): they would otherwise stop one IP after 120 messages a minute.
"""

from __future__ import annotations

import argparse
import gzip
import http.client
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from benchmarks.common import Gunicorn, Recorder, bench_env, ensure_database, manage, run_clients

DB = "helpdesk_bench_kb"
ROOT = Path(__file__).resolve().parent.parent
TURNS = ["hello", "where is my order", "NS12345", "no", "how do I return something", "yes"]


def widget_size() -> tuple[int, int]:
    raw = (ROOT / "static" / "chatbot" / "widget.js").read_bytes()
    return len(raw), len(gzip.compress(raw, 9))


def _post(conn, path: str, body: dict, token: str = "") -> tuple[int, dict]:
    headers = {"Content-Type": "application/json"}
    if token:
        headers["X-Chat-Token"] = token
    conn.request("POST", path, json.dumps(body), headers)
    response = conn.getresponse()
    data = response.read()
    return response.status, json.loads(data) if data else {}


def run(url: str, seconds: float, concurrency: int) -> dict:
    """`concurrency` conversations at a time, each the TURNS after a start, for `seconds`."""
    stop = time.monotonic() + seconds
    port = int(url.rsplit(":", 1)[1])

    def client(_n: int, recorder: Recorder) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
        while time.monotonic() < stop:
            status, started = _post(conn, "/api/v1/chat/start", {"key": "demo-shop-key"})
            token = started.get("token", "")
            for text in TURNS:
                if time.monotonic() >= stop:
                    break
                t0 = time.perf_counter()
                status, _ = _post(conn, "/api/v1/chat/messages", {"text": text}, token)
                recorder.add((time.perf_counter() - t0) * 1000, status < 400)
        conn.close()

    return run_clients(client, concurrency=concurrency)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--concurrency", type=int, default=4)
    args = parser.parse_args()
    raw, gz = widget_size()
    print(f"widget.js: {raw} bytes, {gz} bytes gzipped (level 9)")
    env = {**bench_env(DB), "RATELIMIT_ENABLE": "0"}
    ensure_database(DB)
    manage(env, "migrate", "--noinput", "-v0")
    load = "import sys; from chatbot import demo; demo.load(sys.stdout)"
    manage(env, "shell", "-v0", "-c", load)
    with Gunicorn(env) as server:
        run(server.url, 3, args.concurrency)  # warm up
        r = run(server.url, args.seconds, args.concurrency)
    print(f"messages: {r['requests']} in {args.seconds:.0f} s, {r['rps']:.0f}/s, "
          f"p50 {r['p50']:.1f} ms, p95 {r['p95']:.1f} ms, {r['errors']} errors "
          f"({args.concurrency} conversations at a time, 2 gunicorn workers)")  # fmt: skip


if __name__ == "__main__":
    main()
