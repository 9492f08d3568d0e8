"""After bulk loads: fresh planner statistics, so PostgreSQL stops planning for empty tables."""

from __future__ import annotations

from django.db import connection


def refresh_statistics(*models, vacuum: bool = False) -> None:
    """ANALYZE the models' tables on PostgreSQL (VACUUM too when asked and possible: it sets
    the visibility map that index-only scans need, but cannot run inside a transaction)."""
    if connection.vendor != "postgresql":
        return
    command = "VACUUM (ANALYZE)" if vacuum and not connection.in_atomic_block else "ANALYZE"
    with connection.cursor() as cursor:
        for model in models:
            cursor.execute(f"{command} {connection.ops.quote_name(model._meta.db_table)}")
