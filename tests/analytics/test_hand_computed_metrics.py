"""Every report on a hand-computed day (tests/analytics/scenario.py explains each number)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from analytics.filters import Filters
from analytics.models import DailyMetric
from analytics.rollup import rollup_day
from analytics.selectors import build_dashboard

from .scenario import DAY, build

pytestmark = pytest.mark.django_db


@pytest.fixture
def dashboard(agent):
    build(agent)
    rollup_day(DAY - timedelta(days=1))
    rollup_day(DAY)
    return build_dashboard(Filters(DAY, DAY))


def _rows(result):
    return [list(r) for r in result.rows]


def test_the_funnel_counts_sessions_by_how_far_they_went(dashboard):
    assert [r[1] for r in dashboard["funnel"].rows] == [9, 7, 6, 5, 2, 2]


def test_bot_sessions_split_into_contained_escalated_abandoned(dashboard):
    rows = _rows(dashboard["bot_containment"])
    assert [r[1] for r in rows] == [2, 1, 2, 1]  # contained, escalated, abandoned, confirmed
    assert dashboard["bot_containment"].headline == "40.0 %"


def test_self_service_score_is_help_center_users_per_requester(dashboard):
    assert _rows(dashboard["self_service_score"]) == [[7, 2, 3.5]]


def test_escalation_sources_name_intent_step_and_article(dashboard):
    rows = {(r[0], r[1]): r[2] for r in dashboard["escalation_sources"].rows}
    assert rows == {
        ("Topic (intent)", "(none)"): 1,
        ("Flow step", "(none)"): 1,
        ("Flow step", "guide router:check-cable"): 1,
        ("Article read before", "8"): 1,
    }


def test_searches_are_grouped_by_wording_with_gaps(dashboard):
    top = _rows(dashboard["top_searches"])
    assert [(r[1], r[2]) for r in top] == [(3, 1), (1, 1)]
    assert top[1][0] == "password reset"
    gaps = _rows(dashboard["content_gaps"])
    assert len(gaps) == 1 and gaps[0][1:] == [3, 1, 2, 0.6667]


def test_least_helpful_articles_need_three_votes(dashboard):
    rows = _rows(dashboard["least_helpful_articles"])
    assert rows == [["7", 1, 3, 0.75], ["8", 2, 1, 0.3333]]


def test_ticket_volume_by_channel(dashboard):
    assert sorted(_rows(dashboard["ticket_volume"])) == [
        ["Chat widget", 1],
        ["Email", 1],
        ["Web form", 1],
    ]


def test_first_response_and_resolution_percentiles_are_nearest_rank(dashboard):
    assert _rows(dashboard["first_response_time"]) == [[3, 3600, 7200]]
    assert _rows(dashboard["resolution_time"]) == [[2, 14400, 36000]]
    assert dashboard["first_response_time"].headline == "1.0 h"


def test_sla_compliance_and_satisfaction(dashboard):
    assert _rows(dashboard["sla_compliance"]) == [[3, 1, 0.6667]]
    assert _rows(dashboard["satisfaction"]) == [[1, 1, 0.5]]


def test_backlog_carries_the_days_before_the_period(dashboard):
    assert _rows(dashboard["backlog"]) == [[DAY.isoformat(), 2]]


def test_agent_workload_per_current_assignee(dashboard, agent):
    rows = _rows(dashboard["agent_workload"])
    assert rows == [[agent.name, 2, 0, 2, 0.5], ["Unassigned", 1, 1, 0, None]]


def test_hourly_counts_add_up_to_the_daily_ones(dashboard):
    from django.db.models import Sum

    from analytics.models import HourlyMetric

    hourly = HourlyMetric.objects.filter(metric="searches").aggregate(n=Sum("value"))["n"]
    daily = DailyMetric.objects.filter(metric="searches", day=DAY).aggregate(n=Sum("value"))["n"]
    assert hourly == daily == 4


def test_filters_narrow_ticket_metrics_but_not_self_service(agent):
    scenario = build(agent)
    rollup_day(DAY)
    other = Filters(DAY, DAY, queue=scenario["queue"].pk + 1)
    result = build_dashboard(other)
    assert _rows(result["ticket_volume"]) == []
    assert result["funnel"].rows[0][1] == 9
    email = build_dashboard(Filters(DAY, DAY, channel="email"))
    assert _rows(email["ticket_volume"]) == [["Email", 1]]
    assert email["funnel"].rows[0][1] == 0
    assert email["self_service_score"].rows == [[7, 2, 3.5]]


def test_tickets_by_hour_of_day_come_from_the_hourly_roll_up(dashboard):
    rows = dict(_rows(dashboard["ticket_hours"]))
    assert len(rows) == 24
    assert (rows["10:00"], rows["11:00"], rows["09:00"]) == (2, 1, 0)


def test_outdated_translations_are_listed_by_views_from_the_latest_snapshot():
    from django.utils import timezone

    from kb.models import Article
    from tests.kb.factories import make_article

    from .scenario import at, ev

    today = timezone.now().date()
    original = make_article(title="Returns")
    fi = make_article(title="Palautukset", language="fi", source=original)
    ar = make_article(title="الإرجاع", language="ar", source=original)
    Article.objects.filter(pk__in=[fi.pk, ar.pk]).update(is_outdated=True)
    for n, article in ((1, fi), (3, ar)):
        for minute in range(n):
            ev("kb.article_viewed", at(0, minute, today), "s", "v", article=article.pk)
    rollup_day(today)
    rows = build_dashboard(Filters(today, today))["outdated_translations"].rows
    assert rows == [["الإرجاع (ar)", "ar", 3], ["Palautukset (fi)", "fi", 1]]
    Article.objects.filter(pk=fi.pk).update(is_outdated=False)
    rollup_day(today)  # the snapshot is replaced, not added to
    rows = build_dashboard(Filters(today, today))["outdated_translations"].rows
    assert [r[0] for r in rows] == ["الإرجاع (ar)"]
