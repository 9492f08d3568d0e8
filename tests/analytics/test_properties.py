"""Property tests: bot outcomes partition bot sessions; funnel stages never increase."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analytics.filters import Filters
from analytics.metrics import BOT_OUTCOMES
from analytics.rollup import rollup_day
from analytics.rollup.sessions import bot_outcome, depth
from analytics.selectors import build_dashboard
from helpdesk.models import Event

from .scenario import DAY, at, ev

KINDS = [
    "search.performed",
    "kb.article_viewed",
    "chat.article_opened",
    "chat.session_started",
    "chat.message",
    "chat.resolved_by_bot",
    "chat.escalated",
    "chat.abandoned",
    "ticket.created",
    "guide.step",
]
FLAGS = [
    "searched",
    "viewed",
    "talked",
    "escalated",
    "ticket",
    "started",
    "resolved",
    "abandoned",
    "is_chat",
]


@given(st.fixed_dictionaries({name: st.integers(0, 1) for name in FLAGS}))
def test_each_bot_session_has_exactly_one_outcome_and_a_depth(flags):
    assert bot_outcome(flags) in BOT_OUTCOMES
    assert 0 <= depth(flags) <= 5


sessions = st.lists(st.lists(st.sampled_from(KINDS), min_size=1, max_size=6), max_size=12)


@pytest.mark.django_db
@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(sessions)
def test_outcomes_sum_to_bot_sessions_and_the_funnel_never_grows(kinds_per_session):
    Event.objects.all()._raw_delete(Event.objects.db)
    for index, kinds in enumerate(kinds_per_session):
        for minute, kind in enumerate(kinds):
            ev(kind, at(10, minute), f"s{index}")
    rollup_day(DAY)
    result = build_dashboard(Filters(DAY, DAY))
    stages = [row[1] for row in result["funnel"].rows]
    assert all(a >= b for a, b in itertools.pairwise(stages))
    assert stages[0] == len(kinds_per_session)
    contained, escalated, abandoned, confirmed = (r[1] for r in result["bot_containment"].rows)
    bot_sessions = sum("chat.session_started" in kinds for kinds in kinds_per_session)
    assert contained + escalated + abandoned == bot_sessions
    assert confirmed <= contained
