"""Shared benchmark helpers: a throwaway PostgreSQL database, gunicorn, and a load client."""

from __future__ import annotations

import http.client
import os
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable


def bench_env(db_name: str) -> dict[str, str]:
    """Production-like settings on this machine: PostgreSQL, Redis, DEBUG off, plain HTTP."""
    return {
        **os.environ,
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{db_name}",
        "REDIS_URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/9"),  # CI tests use /15
        "DEBUG": "0",
        "SECRET_KEY": "benchmark-only-" + "x" * 50,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "0",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        "SEARCH_URL": f"whoosh://{ROOT / 'var' / ('bench_index_' + db_name)}",
        "LOG_LEVEL": "WARNING",
    }


def manage(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(
        [PY, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    return result.stdout


def ensure_database(db_name: str) -> None:
    subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", f"CREATE DATABASE {db_name}"],
        capture_output=True,
    )


class Gunicorn:
    """gunicorn with N workers on a local port, for the duration of a `with` block."""

    def __init__(self, env: dict[str, str], port: int = 8099, workers: int = 2) -> None:
        self.env, self.port, self.workers = env, port, workers
        self.url = f"http://127.0.0.1:{port}"

    def __enter__(self) -> Gunicorn:
        manage(self.env, "collectstatic", "--noinput", "-v0")
        self.proc = subprocess.Popen(
            [PY, "-m", "gunicorn", "helpdesk.wsgi", "-b", f"127.0.0.1:{self.port}",
             "-w", str(self.workers), "--log-level", "warning"],
            cwd=ROOT, env=self.env,
        )  # fmt: skip
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                status, _ = get(self.url + "/healthz")
                if status == 200:
                    return self
            except OSError:
                time.sleep(0.3)
        raise RuntimeError("gunicorn did not start")

    def __exit__(self, *exc) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=20)


def get(url: str, conn: http.client.HTTPConnection | None = None) -> tuple[int, bytes]:
    parts = urlsplit(url)
    own = conn is None
    conn = conn or http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    conn.request("GET", path, headers={"Accept-Language": "en"})
    response = conn.getresponse()
    body = response.read()
    if own:
        conn.close()
    return response.status, body


class Recorder:
    """Latencies and outcomes of requests made by several client threads."""

    def __init__(self) -> None:
        self.latencies: list[float] = []
        self.ok = 0
        self.errors = 0
        self._lock = threading.Lock()

    def add(self, milliseconds: float, ok: bool) -> None:
        with self._lock:
            self.latencies.append(milliseconds)
            self.ok += ok
            self.errors += not ok


def run_clients(client: Callable[[int, Recorder], None], *, concurrency: int) -> dict:
    """Run `client(n, recorder)` in `concurrency` threads; counts, rates and percentiles (ms).

    `rps` counts every request, `ok_per_s` only those the client recorded as successful.
    """
    recorder = Recorder()
    threads = [threading.Thread(target=client, args=(n, recorder)) for n in range(concurrency)]
    began = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.monotonic() - began
    latencies = recorder.latencies or [0.0]
    q = statistics.quantiles(latencies * 2, n=100)  # * 2: at least two points
    return {
        "requests": len(recorder.latencies), "ok": recorder.ok, "errors": recorder.errors,
        "rps": len(recorder.latencies) / wall, "ok_per_s": recorder.ok / wall,
        "p50": statistics.median(latencies), "p95": q[94], "p99": q[98],
    }  # fmt: skip


def timed_request(conn: http.client.HTTPConnection, method: str, path: str, **kwargs):
    """One request on a keep-alive connection: (status, body, milliseconds)."""
    started = time.perf_counter()
    conn.request(method, path, **kwargs)
    response = conn.getresponse()
    body = response.read()
    return response, body, (time.perf_counter() - started) * 1000


def load(
    next_url: Callable[[int], str], *, seconds: float, concurrency: int, max_requests: int = 200_000
) -> dict:
    """Keep `concurrency` keep-alive clients busy for `seconds` of GETs."""
    stop = time.monotonic() + seconds

    def client(n: int, recorder: Recorder) -> None:
        first = urlsplit(next_url(0))
        conn = http.client.HTTPConnection(first.hostname, first.port, timeout=10)
        i = 0
        while time.monotonic() < stop and len(recorder.latencies) < max_requests:
            started = time.perf_counter()
            status, _ = get(next_url(n * 1_000_000 + i), conn)
            recorder.add((time.perf_counter() - started) * 1000, status < 400)
            i += 1
        conn.close()

    return run_clients(client, concurrency=concurrency)
