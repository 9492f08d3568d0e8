"""The bot definition and the callbacks the host injects (search, business hours)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from chatbot.engine.flow import ArticleRef, Flow, Step
from chatbot.engine.matcher import Intent
from chatbot.engine.texts import Texts

SearchFn = Callable[[str, str], list[ArticleRef]]


@dataclass(frozen=True)
class Bot:
    """Intents, flows and texts; pure data that `schema` loads from and dumps to dicts."""

    name: str = "bot"
    default_language: str = "en"
    languages: list[str] = field(default_factory=lambda: ["en"])
    intents: list[Intent] = field(default_factory=list)
    flows: dict[str, Flow] = field(default_factory=dict)
    texts: dict[str, Texts] = field(default_factory=dict)
    menu: list[str] = field(default_factory=list)
    synonyms: dict[str, dict[str, str]] = field(default_factory=dict)
    handoff_phrases: dict[str, list[str]] = field(default_factory=dict)
    handoff_flow: str | None = None
    handoff_queue: str | None = None
    start_flow: str | None = None

    def intent(self, name: str) -> Intent | None:
        """The intent called `name`, if any."""
        return next((i for i in self.intents if i.name == name), None)

    def step(self, flow_id: str | None, step_id: str | None) -> Step | None:
        """The step `step_id` of flow `flow_id` (its start when `step_id` is None), if any."""
        flow = self.flows.get(flow_id or "")
        if flow is None:
            return None
        return flow.steps.get(step_id or flow.start)


def _always_open() -> bool:
    return True


def _no_next_open(lang: str) -> str:
    return ""


def _no_search(query: str, lang: str) -> list[ArticleRef]:
    return []


@dataclass(frozen=True)
class Context:
    """What the host provides per turn: KB search, business hours, extra placeholder values."""

    search: SearchFn = _no_search
    is_open: Callable[[], bool] = _always_open
    next_open_text: Callable[[str], str] = _no_next_open
    variables: dict[str, str] = field(default_factory=dict)
