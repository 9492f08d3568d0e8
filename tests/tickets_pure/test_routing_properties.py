"""Properties of every routing strategy over random agent pools."""

import random
from datetime import UTC, datetime

from hypothesis import given
from hypothesis import strategies as st

from tickets.routing import STRATEGIES, AgentSnapshot, Availability, TicketSnapshot, choose_agent

SKILLS = ["fi", "sv", "ar", "en", "billing", "returns", "vat"]
skill_sets = st.frozensets(st.sampled_from(SKILLS), max_size=4)
tickets = st.builds(
    TicketSnapshot,
    id=st.integers(1, 10**6),
    queue=st.just("support"),
    language=st.one_of(st.none(), st.sampled_from(["fi", "sv", "ar", "en"])),
    tags=st.frozensets(st.sampled_from(["billing", "returns", "vat"]), max_size=2),
)


@st.composite
def agent_pools(draw: st.DrawFn) -> list[AgentSnapshot]:
    ids = draw(st.lists(st.integers(1, 1000), unique=True, max_size=8))
    return [
        AgentSnapshot(
            id=agent_id,
            availability=draw(st.sampled_from(list(Availability))),
            open_tickets=draw(st.integers(0, 6)),
            capacity=draw(st.one_of(st.none(), st.integers(0, 6))),
            skills=draw(skill_sets),
            last_assigned_at=draw(
                st.one_of(st.none(), st.datetimes(timezones=st.just(UTC)).map(_hour))
            ),
        )
        for agent_id in ids
    ]


def _hour(value: datetime) -> datetime:
    # Whole hours make equal timestamps common, so tie-breaks get exercised.
    return value.replace(minute=0, second=0, microsecond=0)


@given(st.sampled_from(sorted(STRATEGIES)), tickets, agent_pools())
def test_chosen_agent_is_online_and_below_capacity_when_anyone_is_chosen(strategy, ticket, agents):
    chosen = choose_agent(strategy, ticket, agents)
    if chosen is not None:
        (picked,) = [agent for agent in agents if agent.id == chosen]
        assert picked.availability == Availability.ONLINE
        assert picked.capacity is None or picked.open_tickets < picked.capacity


@given(st.sampled_from(["round_robin", "least_loaded", "skill_based"]), tickets, agent_pools())
def test_someone_is_chosen_when_any_agent_is_eligible(strategy, ticket, agents):
    has_eligible = any(agent.is_eligible for agent in agents)
    assert (choose_agent(strategy, ticket, agents) is not None) == has_eligible


@given(st.sampled_from(sorted(STRATEGIES)), tickets, agent_pools(), st.randoms())
def test_choice_is_the_same_when_agents_arrive_in_another_order(strategy, ticket, agents, rng):
    shuffled = list(agents)
    random.Random(rng.random()).shuffle(shuffled)
    assert choose_agent(strategy, ticket, agents) == choose_agent(strategy, ticket, shuffled)


@given(tickets, agent_pools())
def test_nobody_has_fewer_open_tickets_when_least_loaded_picks(ticket, agents):
    chosen = choose_agent("least_loaded", ticket, agents)
    if chosen is not None:
        loads = {agent.id: agent.open_tickets for agent in agents}
        assert all(loads[chosen] <= agent.open_tickets for agent in agents if agent.is_eligible)
