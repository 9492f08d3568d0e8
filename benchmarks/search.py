"""Search at 10,000 articles: rebuild time, then query and suggestion latency (p50/p95).

Run: .venv/bin/python benchmarks/search.py [--articles 10000] [--queries 300]
Uses the PostgreSQL database of benchmarks/kb_pages.py (`helpdesk_bench_kb`, seeded on first
use) and a Whoosh index under var/bench_index_helpdesk_bench_kb.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from benchmarks.common import bench_env, ensure_database, manage

DB = "helpdesk_bench_kb"


def percentiles(samples: list[float]) -> str:
    q = statistics.quantiles(samples, n=100)
    return f"p50 {statistics.median(samples):.1f} ms, p95 {q[94]:.1f} ms, max {max(samples):.1f} ms"


def timed(fn, queries: list[str]) -> list[float]:
    out = []
    for q in queries:
        started = time.perf_counter()
        fn(q)
        out.append((time.perf_counter() - started) * 1000)
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--queries", type=int, default=300)
    args = parser.parse_args()
    env = bench_env(DB)
    ensure_database(DB)
    manage(env, "migrate", "--noinput", "-v0")
    count = "from kb.models import Article; print(Article.objects.count())"
    have = int(manage(env, "shell", "-v0", "-c", count))
    if have < args.articles:
        manage(env, "seed_kb", str(args.articles - have))
    started = time.perf_counter()
    manage(env, "rebuild_index", "--noinput", "-v0")
    elapsed = time.perf_counter() - started
    print(f"rebuild_index of {max(have, args.articles)} articles: {elapsed:.1f} s")

    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "helpdesk.settings")
    import django

    django.setup()
    from benchmarks.seed_words import WORDS
    from kb import search

    rng = random.Random(7)
    for n_words in (1, 2, 3):
        queries = [" ".join(rng.sample(WORDS, n_words)) for _ in range(args.queries)]
        search.search(raw_query=queries[0], language="en", audience="public")  # warm up
        full = timed(
            lambda q: search.search(raw_query=q, language="en", audience="public"), queries
        )
        print(
            f"search, {n_words} word(s), full page (hits, DB rows, snippets): {percentiles(full)}"
        )
    prefixes = [rng.choice(WORDS)[: rng.randint(2, 5)] for _ in range(args.queries)]
    sugg = timed(lambda q: search.suggest(raw_query=q, language="en", audience="public"), prefixes)
    print(f"suggest, 2-5 letter prefixes: {percentiles(sugg)}")


if __name__ == "__main__":
    main()
