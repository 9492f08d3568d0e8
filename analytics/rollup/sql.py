"""SQL helpers for roll-ups: an outer GROUP BY around a queryset, portable value parsing."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import UTC, date, datetime, timedelta

from django.db import connection
from django.db.models import Case, IntegerField, Max, QuerySet, Value, When

FETCH_SIZE = 2000
DAY = timedelta(days=1)


def flag(*kinds: str) -> Max:
    """1 when any event of the group has one of `kinds`, else 0 (conditional aggregation)."""
    return Max(
        Case(When(kind__in=kinds, then=Value(1)), default=Value(0), output_field=IntegerField())
    )


def grouped(inner: QuerySet, select: str, group_by: str, join: str = "") -> Iterator[tuple]:
    """Run `SELECT <select> FROM (<inner>) e <join> GROUP BY <group_by>` and stream the rows.

    The inner query is Django's own SQL for the connected database (JSON extraction, time
    truncation); the outer one is plain SQL both SQLite and PostgreSQL understand.
    """
    sql, params = inner.query.sql_with_params()
    query = f"SELECT {select} FROM ({sql}) e {join} GROUP BY {group_by}"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        while rows := cursor.fetchmany(FETCH_SIZE):
            yield from rows


def chunks(rows: Iterable, size: int) -> Iterator[list]:
    """Lists of up to `size` consecutive rows (itertools.batched, before Python 3.12)."""
    chunk: list = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def as_datetime(value) -> datetime:
    """A truncated timestamp from the database (SQLite returns text) as an aware UTC datetime."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def day_bounds(day: date) -> tuple[datetime, datetime]:
    start = datetime(day.year, day.month, day.day, tzinfo=UTC)
    return start, start + DAY
