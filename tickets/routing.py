"""Pure, deterministic agent-assignment strategies over ticket and agent snapshots."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

AgentId = int | str


class Availability(StrEnum):
    ONLINE = "online"
    AWAY = "away"
    OFFLINE = "offline"


@dataclass(frozen=True)
class TicketSnapshot:
    """What routing needs to know about a ticket.

    `tags` should hold only tags that demand a skill (the DB layer filters out e.g. "vip"); the
    priority orders the queue, which is the caller's job, so no strategy here looks at it.
    """

    id: int | str
    queue: str
    language: str | None = None
    tags: frozenset[str] = frozenset()
    priority: int = 0


@dataclass(frozen=True)
class AgentSnapshot:
    """An agent as seen at routing time; `capacity` None means unlimited."""

    id: AgentId
    availability: Availability | str
    open_tickets: int = 0
    capacity: int | None = None
    skills: frozenset[str] = frozenset()
    last_assigned_at: datetime | None = None  # aware, like every datetime in the app

    @property
    def has_room(self) -> bool:
        return self.capacity is None or self.open_tickets < self.capacity

    @property
    def is_eligible(self) -> bool:
        return self.availability == Availability.ONLINE and self.has_room


Strategy = Callable[[TicketSnapshot, Sequence[AgentSnapshot]], AgentId | None]


def _eligible(agents: Sequence[AgentSnapshot]) -> list[AgentSnapshot]:
    return [agent for agent in agents if agent.is_eligible]


def _round_robin_key(agent: AgentSnapshot) -> tuple[Any, ...]:
    # Never-assigned agents go first; the id breaks ties so the result never depends on order.
    if agent.last_assigned_at is None:
        return (0, 0, agent.id)
    return (1, agent.last_assigned_at, agent.id)


def _least_loaded_key(agent: AgentSnapshot) -> tuple[Any, ...]:
    return (agent.open_tickets, *_round_robin_key(agent))


def manual(ticket: TicketSnapshot, agents: Sequence[AgentSnapshot]) -> AgentId | None:
    """Never picks: a person assigns the ticket."""
    return None


def round_robin(ticket: TicketSnapshot, agents: Sequence[AgentSnapshot]) -> AgentId | None:
    """The eligible agent whose last assignment is oldest (never assigned first)."""
    eligible = _eligible(agents)
    return min(eligible, key=_round_robin_key).id if eligible else None


def least_loaded(ticket: TicketSnapshot, agents: Sequence[AgentSnapshot]) -> AgentId | None:
    """The eligible agent with the fewest open tickets; ties go in round-robin order."""
    eligible = _eligible(agents)
    return min(eligible, key=_least_loaded_key).id if eligible else None


def _normalise(skill: str) -> str:
    return skill.strip().casefold()


def _coverage(ticket: TicketSnapshot, agent: AgentSnapshot) -> tuple[bool, int]:
    """(speaks the ticket's language, number of ticket tags covered).

    Language ranks above tags: a Finnish ticket is better served by a Finnish speaker without
    the billing skill than by a billing expert who cannot read it. A regional tag such as
    "fi-FI" is covered by the skill "fi-fi" or by the bare language "fi".
    """
    skills = {_normalise(skill) for skill in agent.skills}
    speaks = True
    if ticket.language:
        language = _normalise(ticket.language).replace("_", "-")
        speaks = language in skills or language.split("-")[0] in skills
    tags = sum(1 for tag in ticket.tags if _normalise(tag) in skills)
    return (speaks, tags)


def _best_covered(ticket: TicketSnapshot, agents: Sequence[AgentSnapshot]) -> list[AgentSnapshot]:
    scored = [(_coverage(ticket, agent), agent) for agent in _eligible(agents)]
    best = max((score for score, _ in scored), default=None)
    return [agent for score, agent in scored if score == best]


def skill_based(ticket: TicketSnapshot, agents: Sequence[AgentSnapshot]) -> AgentId | None:
    """Least-loaded among the eligible agents who best cover the ticket's language and tags.

    Full coverage wins when anyone has it. Otherwise the fallback is the best partial coverage
    (language first, then most tags), and if nobody covers anything, plain least-loaded: an
    imperfect agent now beats a ticket that waits for an expert who may never come online.
    Use `skill_based_strict` to wait instead.
    """
    return least_loaded(ticket, _best_covered(ticket, agents))


def skill_based_strict(ticket: TicketSnapshot, agents: Sequence[AgentSnapshot]) -> AgentId | None:
    """Like `skill_based`, but only agents covering the language and every tag qualify."""
    full = (True, len(ticket.tags))
    qualified = [agent for agent in agents if _coverage(ticket, agent) == full]
    return least_loaded(ticket, qualified)


STRATEGIES: dict[str, Strategy] = {
    "manual": manual,
    "round_robin": round_robin,
    "least_loaded": least_loaded,
    "skill_based": skill_based,
    "skill_based_strict": skill_based_strict,
}


def choose_agent(
    strategy: str, ticket: TicketSnapshot, agents: Sequence[AgentSnapshot]
) -> AgentId | None:
    """The id of the agent `strategy` picks, or None when the ticket should wait in its queue.

    Pure: the caller locks the agent rows and re-checks capacity before assigning.
    """
    try:
        pick = STRATEGIES[strategy]
    except KeyError:
        known = ", ".join(sorted(STRATEGIES))
        raise ValueError(f"unknown routing strategy {strategy!r}; known: {known}") from None
    return pick(ticket, agents)
