"""The roll-up: turn one UTC day of the event log into the aggregate tables, idempotently.

Each day is replaced as a whole (delete + insert in one transaction, under a row lock so two
runs of the same day queue up), so running it twice, or backfilling a range, gives the same
rows. Event counts are split by hour; everything else is per day.
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, timedelta

from django.db import transaction
from django.utils import timezone

from ..models import DailyMetric, HourlyMetric, RollupRun, SearchQueryDaily
from .breakdowns import breakdowns
from .counts import count_events
from .searches import search_rows
from .sessions import session_metrics
from .sql import day_bounds
from .tickets import refresh_ticket_facts

# Sessions are judged by their events until the end of the next day, so the beat task rolls
# up the day before yesterday, yesterday and today again.
RECENT_DAYS = 3


def rollup_day(day: date, *, until: datetime | None = None) -> int:
    """Replace every aggregate of `day`; rows written.

    `until` cuts the hourly event counts at the last complete hour (today); session, search and
    breakdown rows of a day still being lived are provisional and replaced by later runs.
    """
    start, end = day_bounds(day)
    end = min(end, until) if until else end
    RollupRun.objects.get_or_create(day=day, defaults={"finished_at": timezone.now()})
    with transaction.atomic():
        run = RollupRun.objects.select_for_update().get(day=day)
        hourly = count_events(start, end)
        daily: Counter = Counter()
        for (_hour, metric, lang, channel, queue), n in hourly.items():
            daily[(metric, lang, channel, queue, "")] += n
        for (metric, lang, channel), n in session_metrics(day).items():
            daily[(metric, lang, channel, 0, "")] += n
        for (metric, lang, subject), n in breakdowns(day).items():
            daily[(metric, lang, "", 0, subject[:200])] += n
        HourlyMetric.objects.filter(hour__gte=start, hour__lt=start + timedelta(days=1)).delete()
        DailyMetric.objects.filter(day=day).delete()
        SearchQueryDaily.objects.filter(day=day).delete()
        HourlyMetric.objects.bulk_create(
            [
                HourlyMetric(hour=h, metric=m, language=lang, channel=c, queue_id=q, value=n)
                for (h, m, lang, c, q), n in hourly.items()
                if n
            ],
            batch_size=2000,
        )
        DailyMetric.objects.bulk_create(
            [
                DailyMetric(
                    day=day, metric=m, language=lang, channel=c, queue_id=q, subject=s, value=n
                )
                for (m, lang, c, q, s), n in daily.items()
                if n
            ],
            batch_size=2000,
        )
        SearchQueryDaily.objects.bulk_create(search_rows(day), batch_size=2000)
        refresh_ticket_facts(day)
        run.finished_at, run.events = timezone.now(), sum(hourly.values())
        run.save(update_fields=["finished_at", "events"])
    return len(hourly) + len(daily)


def rollup_range(since: date, until: date, *, progress=None) -> int:
    """Roll up every day from `since` to `until` inclusive (a backfill); rows written."""
    written, day = 0, since
    while day <= until:
        written += rollup_day(day, until=_complete_hours())
        if progress:
            progress(day)
        day += timedelta(days=1)
    return written


def _complete_hours() -> datetime:
    now = timezone.now().astimezone(UTC)
    return now.replace(minute=0, second=0, microsecond=0)


def rollup_recent() -> int:
    """What beat runs: the recent days, today up to the last complete hour."""
    today = _complete_hours().date()
    return rollup_range(today - timedelta(days=RECENT_DAYS - 1), today)
