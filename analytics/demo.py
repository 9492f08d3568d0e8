"""Demo: roll up today's demo events, so that a fresh `make run` shows a dashboard with data.

Beat rolls up only complete hours; demo data is minutes old, so today is rolled up to now.
"""

from __future__ import annotations

from datetime import UTC

from django.utils import timezone

from .rollup import rollup_day


def load(stdout) -> None:
    now = timezone.now()
    rows = rollup_day(now.astimezone(UTC).date(), until=now)
    stdout.write(f"Analytics: today's demo events rolled up ({rows} aggregate rows).")
