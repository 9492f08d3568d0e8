"""Help-center pages under gunicorn (2 workers) with 10,000 articles on PostgreSQL + Redis.

Run: .venv/bin/python benchmarks/kb_pages.py [--articles 10000] [--seconds 20]
Needs PostgreSQL on 127.0.0.1:5432 (trust auth) and Redis; creates the database
`helpdesk_bench_kb` the first time and reuses it afterwards.
"""

from __future__ import annotations

import argparse
import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from benchmarks.common import Gunicorn, bench_env, ensure_database, load, manage

DB = "helpdesk_bench_kb"


def queries_per_page(env: dict[str, str], article_id: int) -> dict[str, tuple[int, int]]:
    """Queries for each page with a cold cache and with a warm one (in-process test client)."""
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "helpdesk.settings")
    import django

    django.setup()
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from kb.models import Article

    slug = Article.objects.get(pk=article_id).slug
    client, out = Client(HTTP_HOST="127.0.0.1"), {}
    for name, url in {"home": "/en/", "article": f"/en/articles/{article_id}/{slug}/"}.items():
        cache.clear()
        counts = []
        for _ in range(2):
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(url).status_code == 200
            counts.append(len(ctx.captured_queries))
        out[name] = (counts[0], counts[1])
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--concurrency", type=int, default=4)
    args = parser.parse_args()
    env = bench_env(DB)
    ensure_database(DB)
    manage(env, "migrate", "--noinput", "-v0")
    have = int(
        manage(
            env,
            "shell",
            "-v0",
            "-c",
            "from kb.models import Article; print(Article.objects.count())",
        )
    )
    if have < args.articles:
        print(manage(env, "seed_kb", str(args.articles - have)).strip())
    listing = (
        "from kb.models import Article; rows = Article.objects.public().values_list('pk', 'slug'); "
        "print(*(f'{pk}/{slug}' for pk, slug in rows))"
    )
    paths = manage(env, "shell", "-v0", "-c", listing).split()
    rng = random.Random(1)
    with Gunicorn(env) as server:
        pages = {
            "home (/en/)": lambda i: f"{server.url}/en/",
            "article (random of all)": lambda i: f"{server.url}/en/articles/{rng.choice(paths)}/",
        }
        print("| page | requests | req/s | p50 ms | p95 ms | p99 ms | errors |")
        print("|---|---|---|---|---|---|---|")
        for name, url in pages.items():
            load(url, seconds=3, concurrency=args.concurrency)  # warm caches and connections
            r = load(url, seconds=args.seconds, concurrency=args.concurrency)
            print(f"| {name} | {r['requests']} | {r['rps']:.0f} | {r['p50']:.1f} | {r['p95']:.1f} "
                  f"| {r['p99']:.1f} | {r['errors']} |")  # fmt: skip
    print(
        "\nqueries per page (cold cache, warm cache):",
        queries_per_page(env, int(paths[0].split("/")[0])),
    )


if __name__ == "__main__":
    main()
