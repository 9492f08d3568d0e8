"""Dashboard reads: every report from the aggregate tables, in a fixed number of queries."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import UTC, date, timedelta
from functools import cached_property

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import ExtractHour
from django.utils.translation import gettext as _

from tickets.models import Channel

from .details import agent_result, breakdown_results, search_results
from .filters import Filters
from .metrics import (
    BOT_OUTCOMES,
    EVENT_COUNTS,
    FUNNEL_STAGES,
    REPORTS_BY_KEY,
    SESSION_METRICS,
    TICKET_SCOPED,
)
from .models import DailyMetric, HourlyMetric, RollupRun, TicketFact
from .results import Result, percent, ratio
from .rollup.sql import day_bounds

BACKLOG_METRICS = ("tickets_created", "tickets_solved", "tickets_reopened")


TOTALS = (*EVENT_COUNTS, *SESSION_METRICS)  # named, so the (metric, day) index serves them
# People are counted once a day whatever the channel; the score ignores the channel filter.
UNSPLIT = ("helpcenter_users", "ticket_requesters")


def _metrics(f: Filters) -> QuerySet:
    rows = DailyMetric.objects.filter(day__gte=f.start, day__lte=f.end)
    if f.language:
        rows = rows.filter(language=f.language)
    if f.channel:
        rows = rows.filter(Q(channel=f.channel) | Q(metric__in=UNSPLIT))
    if f.queue is not None:
        rows = rows.filter(Q(queue_id=f.queue) | ~Q(metric__in=TICKET_SCOPED))
    return rows


def _narrow(rows: QuerySet, f: Filters) -> QuerySet:
    """Rows of the filters' language, channel and queue (tables where every row has all three)."""
    if f.language:
        rows = rows.filter(language=f.language)
    if f.channel:
        rows = rows.filter(channel=f.channel)
    if f.queue is not None:
        rows = rows.filter(queue_id=f.queue)
    return rows


def _facts(f: Filters) -> QuerySet:
    return _narrow(TicketFact.objects.filter(created_day__gte=f.start, created_day__lte=f.end), f)


def nearest_rank(values_sorted: QuerySet, count: int, p: float) -> int | None:
    """The p-th percentile by nearest rank: the value at position ceil(p × n), 1-based."""
    if not count:
        return None
    return values_sorted[max(1, math.ceil(p * count)) - 1]


def hours(seconds: int | None) -> str:
    return "–" if seconds is None else f"{seconds / 3600:.1f} h"


class _Reads:
    """The reads several reports share, each run at most once per build and only if needed."""

    def __init__(self, f: Filters) -> None:
        self.f = f
        self.metrics = _metrics(f)
        self.facts = _facts(f)

    @cached_property
    def sums(self) -> tuple[dict[str, int], dict[str, int]]:
        """Totals per stored metric, and tickets created per channel (one query)."""
        totals: dict[str, int] = defaultdict(int)
        by_channel: dict[str, int] = defaultdict(int)
        simple = self.metrics.filter(metric__in=TOTALS)
        for row in simple.values("metric", "channel").annotate(v=Sum("value")).order_by():
            totals[row["metric"]] += row["v"]
            if row["metric"] == "tickets_created":
                by_channel[row["channel"]] += row["v"]
        return totals, by_channel


# Which reports each builder makes; a builder runs only when one of its reports is wanted.
_BUILDERS: tuple[tuple[tuple[str, ...], Callable[[_Reads], list[Result]]], ...] = (
    (("self_service_score",), lambda r: [_self_service(r.sums[0])]),
    (("funnel",), lambda r: [_funnel(r.sums[0])]),
    (("bot_containment",), lambda r: [_bot(r.sums[0])]),
    (("ticket_volume",), lambda r: [_ticket_volume(r.sums[1])]),
    (("satisfaction",), lambda r: [_satisfaction(r.sums[0])]),
    (("backlog",), lambda r: [_backlog(r.f, r.metrics)]),
    (("ticket_hours",), lambda r: [_ticket_hours(r.f)]),
    (
        ("escalation_sources", "least_helpful_articles", "outdated_translations"),
        lambda r: breakdown_results(r.f, r.metrics),
    ),
    (("top_searches", "content_gaps"), lambda r: search_results(r.f)),
    (
        ("first_response_time", "resolution_time", "sla_compliance"),
        lambda r: _ticket_times(r.facts),
    ),
    (("agent_workload",), lambda r: [agent_result(r.facts)]),
)


def build_dashboard(f: Filters, keys: Iterable[str] | None = None) -> dict[str, Result]:
    """The reports for the filters: all (about 20 queries, whatever the period or data
    volume), or only `keys` (a CSV export or API call reads just what its report needs)."""
    wanted = set(REPORTS_BY_KEY if keys is None else keys)
    reads = _Reads(f)
    results = [
        result
        for made, build in _BUILDERS
        if wanted.intersection(made)
        for result in build(reads)
        if result.key in wanted
    ]
    return {r.key: r for r in results}


def last_rollup() -> RollupRun | None:
    """The latest roll-up run (the dashboard says how fresh its figures are)."""
    return RollupRun.objects.order_by("-finished_at").first()


def build_report(f: Filters, key: str) -> Result:
    """One report (its CSV export or API call), without computing the others."""
    return build_dashboard(f, (key,))[key]


def _self_service(t: dict[str, int]) -> Result:
    users, requesters = t["helpcenter_users"], t["ticket_requesters"]
    score = ratio(users, requesters)
    return Result(
        "self_service_score",
        [_("Help-center users"), _("Ticket requesters"), _("Score")],
        [[users, requesters, score]],
        headline="–" if score is None else f"{score:.2f}",
    )


def _funnel(t: dict[str, int]) -> Result:
    labels = [
        _("Sessions"),
        _("Searched"),
        _("Viewed an article"),
        _("Talked to the bot"),
        _("Escalated to a person"),
        _("Opened a ticket"),
    ]
    first = t[FUNNEL_STAGES[0]]
    rows = [
        [label, t[k], ratio(t[k], first)] for label, k in zip(labels, FUNNEL_STAGES, strict=True)
    ]
    return Result(
        "funnel",
        [_("Stage"), _("Sessions"), _("Share of sessions")],
        rows,
        headline=str(first),
        chart="funnel",
    )


def _bot(t: dict[str, int]) -> Result:
    total = t["bot_sessions"]
    labels = [_("Contained"), _("Escalated"), _("Abandoned")]
    rows = [
        [label, t[k], ratio(t[k], total)] for label, k in zip(labels, BOT_OUTCOMES, strict=True)
    ]
    rows.append(
        [_("Bot-confirmed resolution"), t["bot_confirmed"], ratio(t["bot_confirmed"], total)]
    )
    return Result(
        "bot_containment",
        [_("Outcome"), _("Sessions"), _("Share of bot sessions")],
        rows,
        headline=percent(ratio(t["bot_contained"], total)),
        chart="bars",
    )


def _ticket_volume(by_channel: dict[str, int]) -> Result:
    names = dict(Channel.choices)
    rows = [
        [str(names.get(c, c or _("Unknown"))), n]
        for c, n in sorted(by_channel.items(), key=lambda i: -i[1])
    ]
    return Result(
        "ticket_volume",
        [_("Channel"), _("Tickets")],
        rows,
        headline=str(sum(by_channel.values())),
        chart="bars",
    )


def _satisfaction(t: dict[str, int]) -> Result:
    good, bad = t["ratings_good"], t["ratings_bad"]
    share = ratio(good, good + bad)
    return Result(
        "satisfaction",
        [_("Good"), _("Bad"), _("Share good")],
        [[good, bad, share]],
        headline=percent(share),
    )


def _backlog(f: Filters, metrics: QuerySet) -> Result:
    sign = {"tickets_created": 1, "tickets_solved": -1, "tickets_reopened": 1}
    earlier = replace(f, start=date(1970, 1, 1), end=f.start - timedelta(days=1))
    before = _metrics(earlier).filter(metric__in=BACKLOG_METRICS)
    level = sum(
        sign[r["metric"]] * r["v"]
        for r in before.values("metric").annotate(v=Sum("value")).order_by()
    )
    change: dict[date, int] = defaultdict(int)
    daily = metrics.filter(metric__in=BACKLOG_METRICS).values("day", "metric")
    for r in daily.annotate(v=Sum("value")).order_by():
        change[r["day"]] += sign[r["metric"]] * r["v"]
    rows, day = [], f.start
    while day <= f.end:
        level += change.get(day, 0)
        rows.append([day.isoformat(), level])
        day += timedelta(days=1)
    return Result(
        "backlog",
        [_("Day"), _("Open tickets")],
        rows,
        headline=str(rows[-1][1]) if rows else "0",
        chart="line",
    )


def _ticket_times(facts: QuerySet) -> list[Result]:
    """p50/p90 of business-hours first response and resolution, and SLA compliance."""
    counts = facts.aggregate(
        n=Count("pk"),
        breached=Count("pk", filter=Q(is_sla_breached=True)),
        first=Count("first_response_business_seconds"),
        solved=Count("resolution_business_seconds"),
    )
    results = []
    for key, column, n in (
        ("first_response_time", "first_response_business_seconds", counts["first"]),
        ("resolution_time", "resolution_business_seconds", counts["solved"]),
    ):
        ordered = facts.filter(**{f"{column}__isnull": False}).order_by(column, "pk")
        values = ordered.values_list(column, flat=True)
        p50, p90 = nearest_rank(values, n, 0.5), nearest_rank(values, n, 0.9)
        results.append(
            Result(
                key,
                [_("Tickets"), _("Median (p50)"), _("90th percentile (p90)")],
                [[n, p50, p90]],
                headline=hours(p50),
            )
        )
    met = counts["n"] - counts["breached"]
    results.append(
        Result(
            "sla_compliance",
            [_("Tickets"), _("Breached"), _("Compliance")],
            [[counts["n"], counts["breached"], ratio(met, counts["n"])]],
            headline=percent(ratio(met, counts["n"])),
        )
    )
    return results


def _ticket_hours(f: Filters) -> Result:
    """Tickets created per UTC hour of day, from the hourly roll-up (one query, 24 rows)."""
    start, end = day_bounds(f.start)[0], day_bounds(f.end)[1]
    rows = _narrow(
        HourlyMetric.objects.filter(metric="tickets_created", hour__gte=start, hour__lt=end), f
    )
    per_hour = dict.fromkeys(range(24), 0)
    for r in rows.values(h=ExtractHour("hour", tzinfo=UTC)).annotate(v=Sum("value")).order_by():
        per_hour[r["h"]] += r["v"]
    return Result(
        "ticket_hours",
        [_("Hour (UTC)"), _("Tickets")],
        [[f"{h:02d}:00", n] for h, n in per_hour.items()],
        headline=str(sum(per_hour.values())),
        chart="bars",
    )
