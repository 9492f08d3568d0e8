"""Rolling up twice, or backfilling a range, gives exactly the same rows."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command

from analytics.models import DailyMetric, HourlyMetric, SearchQueryDaily, TicketFact
from analytics.rollup import rollup_day

from .scenario import DAY, build

pytestmark = pytest.mark.django_db


def _snapshot() -> dict:
    def rows(model, *exclude):
        fields = [f.name for f in model._meta.concrete_fields if f.name not in ("id", *exclude)]
        return sorted(model.objects.values_list(*fields))

    return {m.__name__: rows(m) for m in (DailyMetric, HourlyMetric, SearchQueryDaily, TicketFact)}


def test_rolling_up_a_day_twice_gives_the_same_rows(agent):
    build(agent)
    rollup_day(DAY)
    first = _snapshot()
    rollup_day(DAY)
    assert _snapshot() == first
    assert first["DailyMetric"]


def test_the_backfill_command_equals_day_by_day_roll_ups(agent):
    build(agent)
    call_command("analytics_rollup", "--since", str(DAY - timedelta(days=1)), "--until", str(DAY))
    backfilled = _snapshot()
    DailyMetric.objects.all().delete()
    HourlyMetric.objects.all().delete()
    SearchQueryDaily.objects.all().delete()
    TicketFact.objects.all().delete()
    rollup_day(DAY)
    rollup_day(DAY - timedelta(days=1))
    assert _snapshot() == backfilled
    assert DailyMetric.objects.filter(
        day=DAY - timedelta(days=1), metric="tickets_created"
    ).exists()


def test_a_new_event_is_picked_up_when_the_day_is_rolled_again(agent):
    from .scenario import at, ev

    build(agent)
    rollup_day(DAY)
    ev("search.performed", at(23), "s7", "v7", search_id="late", query="late one", results=1)
    rollup_day(DAY)
    assert DailyMetric.objects.get(day=DAY, metric="searches", language="en").value == 5


def test_the_command_refuses_bad_dates():
    with pytest.raises(CommandError):
        call_command("analytics_rollup", "--since", "yesterday")
    with pytest.raises(CommandError):
        call_command("analytics_rollup", "--since", "2026-02-02", "--until", "2026-02-01")


def test_the_beat_task_rolls_up_recent_days(agent):
    from django.utils import timezone

    from analytics.tasks import rollup_recent_days
    from helpdesk.events import record_event

    record_event(
        kind="search.performed",
        language="en",
        occurred_at=timezone.now() - timedelta(days=1),
        data={"search_id": "x", "query": "a", "results": 1},
    )
    rollup_recent_days.delay()
    day = (timezone.now() - timedelta(days=1)).date()
    assert DailyMetric.objects.get(day=day, metric="searches").value == 1


def test_beat_schedules_the_roll_up_task():
    from django.conf import settings

    from helpdesk.celery import app

    entry = settings.CELERY_BEAT_SCHEDULE["analytics-rollup"]
    assert entry["task"] in app.tasks


def test_today_counts_only_complete_hours(agent):
    from datetime import UTC, datetime
    from unittest import mock

    from analytics.models import HourlyMetric
    from analytics.rollup import rollup_recent

    from .scenario import at, ev

    ev("search.performed", at(9, 30), "s1", search_id="a", query="a", results=1)
    ev("search.performed", at(10, 10), "s1", search_id="b", query="b", results=1)
    now = datetime(DAY.year, DAY.month, DAY.day, 10, 20, tzinfo=UTC)
    with mock.patch("django.utils.timezone.now", return_value=now):
        rollup_recent()
    assert list(HourlyMetric.objects.values_list("hour__hour", "value")) == [(9, 1)]
