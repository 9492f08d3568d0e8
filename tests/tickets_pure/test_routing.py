"""Assignment strategies: round robin, least loaded, skill based, manual, eligibility, ties."""

from datetime import UTC, datetime

import pytest

from tickets.routing import (
    STRATEGIES,
    AgentSnapshot,
    Availability,
    TicketSnapshot,
    choose_agent,
)

TICKET = TicketSnapshot(id=1, queue="support", language="fi", tags=frozenset({"billing"}))


def agent(agent_id: int, **fields) -> AgentSnapshot:
    fields.setdefault("availability", Availability.ONLINE)
    return AgentSnapshot(id=agent_id, **fields)


def at(hour: int) -> datetime:
    return datetime(2024, 1, 8, hour, tzinfo=UTC)


def test_nobody_is_picked_when_strategy_is_manual():
    assert choose_agent("manual", TICKET, [agent(1), agent(2)]) is None


def test_oldest_assignment_is_picked_when_routing_round_robin():
    agents = [agent(1, last_assigned_at=at(10)), agent(2, last_assigned_at=at(9)), agent(3)]
    assert choose_agent("round_robin", TICKET, agents) == 3  # never assigned goes first
    assert choose_agent("round_robin", TICKET, agents[:2]) == 2


def test_lowest_id_is_picked_when_round_robin_times_tie():
    agents = [agent(7, last_assigned_at=at(9)), agent(4, last_assigned_at=at(9)), agent(9)]
    assert choose_agent("round_robin", TICKET, agents[:2]) == 4
    assert choose_agent("round_robin", TICKET, [agent(8), agent(5)]) == 5


def test_fewest_open_tickets_is_picked_when_routing_least_loaded():
    agents = [agent(1, open_tickets=3), agent(2, open_tickets=1), agent(3, open_tickets=2)]
    assert choose_agent("least_loaded", TICKET, agents) == 2


def test_round_robin_order_breaks_the_tie_when_loads_are_equal():
    agents = [
        agent(1, open_tickets=2, last_assigned_at=at(11)),
        agent(2, open_tickets=2, last_assigned_at=at(8)),
        agent(3, open_tickets=5),
    ]
    assert choose_agent("least_loaded", TICKET, agents) == 2


@pytest.mark.parametrize("strategy", ["round_robin", "least_loaded", "skill_based"])
def test_away_and_offline_agents_are_skipped_when_routing(strategy):
    agents = [
        agent(1, availability=Availability.AWAY),
        agent(2, availability="offline"),
        agent(3, open_tickets=9, skills=frozenset()),
    ]
    assert choose_agent(strategy, TICKET, agents) == 3


@pytest.mark.parametrize("strategy", ["round_robin", "least_loaded", "skill_based"])
def test_agents_at_capacity_are_skipped_when_routing(strategy):
    agents = [
        agent(1, open_tickets=2, capacity=2, skills=frozenset({"fi", "billing"})),
        agent(2, open_tickets=0, capacity=0),
        agent(3, open_tickets=8, capacity=None),
    ]
    assert choose_agent(strategy, TICKET, agents) == 3


@pytest.mark.parametrize("strategy", sorted(STRATEGIES))
def test_ticket_waits_when_nobody_is_eligible(strategy):
    agents = [agent(1, availability="away"), agent(2, open_tickets=1, capacity=1)]
    assert choose_agent(strategy, TICKET, agents) is None
    assert choose_agent(strategy, TICKET, []) is None


def test_least_loaded_full_match_is_picked_when_several_cover_all_skills():
    agents = [
        agent(1, open_tickets=0, skills=frozenset({"fi"})),
        agent(2, open_tickets=4, skills=frozenset({"fi", "billing"})),
        agent(3, open_tickets=2, skills=frozenset({"FI", "Billing", "ar"})),
    ]
    assert choose_agent("skill_based", TICKET, agents) == 3


def test_language_outranks_tags_when_nobody_covers_everything():
    agents = [
        agent(1, open_tickets=0, skills=frozenset({"billing"})),
        agent(2, open_tickets=5, skills=frozenset({"fi"})),
    ]
    assert choose_agent("skill_based", TICKET, agents) == 2


def test_most_tags_win_when_nobody_speaks_the_language():
    ticket = TicketSnapshot(id=1, queue="q", language="ar", tags=frozenset({"billing", "vat"}))
    agents = [
        agent(1, open_tickets=0, skills=frozenset({"billing"})),
        agent(2, open_tickets=3, skills=frozenset({"billing", "vat"})),
    ]
    assert choose_agent("skill_based", ticket, agents) == 2


def test_least_loaded_is_picked_when_nobody_has_any_skill():
    agents = [agent(1, open_tickets=4), agent(2, open_tickets=1)]
    assert choose_agent("skill_based", TICKET, agents) == 2


def test_strict_skill_routing_waits_when_nobody_covers_everything():
    agents = [agent(1, skills=frozenset({"fi"})), agent(2, skills=frozenset({"billing"}))]
    assert choose_agent("skill_based_strict", TICKET, agents) is None
    agents.append(agent(3, skills=frozenset({"fi", "billing"})))
    assert choose_agent("skill_based_strict", TICKET, agents) == 3


def test_bare_language_skill_covers_regional_ticket_when_languages_differ_in_region():
    ticket = TicketSnapshot(id=1, queue="q", language="fi-FI")
    agents = [
        agent(1, open_tickets=0, skills=frozenset({"sv"})),
        agent(2, skills=frozenset({"fi"})),
    ]
    assert choose_agent("skill_based", ticket, agents) == 2


def test_skill_routing_is_least_loaded_when_ticket_needs_no_skills():
    ticket = TicketSnapshot(id=1, queue="q")
    agents = [agent(1, open_tickets=2, skills=frozenset({"fi"})), agent(2, open_tickets=1)]
    assert choose_agent("skill_based", ticket, agents) == 2


def test_value_error_is_raised_when_strategy_is_unknown():
    with pytest.raises(ValueError, match="unknown routing strategy 'random'; known: least_loaded"):
        choose_agent("random", TICKET, [agent(1)])
