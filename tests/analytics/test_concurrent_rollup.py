"""Two roll-ups of the same day at once (beat and a backfill) never duplicate rows."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from analytics.models import DailyMetric
from analytics.rollup import rollup_day

from .scenario import DAY, at, ev

pytestmark = pytest.mark.django_db(transaction=True)


def test_concurrent_roll_ups_of_one_day_leave_one_set_of_rows():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers anyway; run with DATABASE_URL=postgres://...")
    for minute in range(5):
        ev(
            "search.performed",
            at(9, minute),
            f"s{minute}",
            search_id=str(minute),
            query="x",
            results=1,
        )
    rollup_day(DAY)
    expected = sorted(DailyMetric.objects.values_list("metric", "language", "channel", "value"))
    errors: list[BaseException] = []

    def run() -> None:
        try:
            rollup_day(DAY)
        except BaseException as exc:  # reported below, not swallowed
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    found = sorted(DailyMetric.objects.values_list("metric", "language", "channel", "value"))
    assert found == expected
