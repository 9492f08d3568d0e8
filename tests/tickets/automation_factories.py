"""Helpers for routing, SLA, automation and webhook tests: a frozen clock and config rows."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from tickets.models import BusinessHours, Holiday, SlaPolicy


class Clock:
    """A settable `timezone.now()` for code and auto_now fields alike."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta) -> datetime:
        self.now += timedelta(**delta)
        return self.now

    def set(self, value: datetime) -> datetime:
        self.now = value
        return value


@pytest.fixture
def clock(monkeypatch) -> Clock:
    # Monday 2026-03-02 08:00 UTC (10:00 in Helsinki).
    frozen = Clock(datetime(2026, 3, 2, 8, 0, tzinfo=UTC))
    monkeypatch.setattr(timezone, "now", frozen)
    return frozen


def office_hours(
    name: str = "Helsinki office", *, tz: str = "Europe/Helsinki", holidays=()
) -> BusinessHours:
    calendar = BusinessHours.objects.create(
        name=name, timezone=tz, weekly_hours={str(d): [["09:00", "17:00"]] for d in range(5)}
    )
    for day in holidays:
        Holiday.objects.create(calendar=calendar, date=day, name="holiday")
    return calendar


def make_policy(name: str = "Standard", **fields) -> SlaPolicy:
    queues = fields.pop("queues", ())
    organisations = fields.pop("organisations", ())
    fields.setdefault("first_response_minutes", 60)
    fields.setdefault("next_response_minutes", 120)
    fields.setdefault("resolution_minutes", 480)
    policy = SlaPolicy.objects.create(name=name, **fields)
    policy.queues.set(queues)
    policy.organisations.set(organisations)
    return policy
