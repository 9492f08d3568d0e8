"""Static checks of a bot: broken graphs, dead ends, collisions, translations, bad regexes."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum

from chatbot.engine.bot import Bot
from chatbot.engine.flow import SlotKind, Step, StepKind, resolve_target, targets
from chatbot.engine.matcher import ANY_LANGUAGE, compile_pattern
from chatbot.engine.texts import has_language
from helpdesk.textnorm import base_language, normalize

Node = tuple[str, str]
# ask_resolved always has a way out: "yes" ends resolved, "no" hands off unless redirected.
_EXITS = frozenset({StepKind.HANDOFF, StepKind.END, StepKind.ASK_RESOLVED})


class Severity(StrEnum):
    """Errors break conversations; warnings make them worse."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Issue:
    """One finding, with a stable code for CI filters and a path into the definition."""

    severity: Severity
    code: str
    message: str
    path: str

    def __str__(self) -> str:
        return f"{self.severity.value}: {self.path}: {self.message} [{self.code}]"


def _error(code: str, path: str, message: str) -> Issue:
    return Issue(Severity.ERROR, code, message, path)


def _warning(code: str, path: str, message: str) -> Issue:
    return Issue(Severity.WARNING, code, message, path)


def _steps(bot: Bot) -> Iterator[tuple[Node, Step]]:
    for flow in bot.flows.values():
        for step in flow.steps.values():
            yield (flow.id, step.id), step


def _edges(bot: Bot, node: Node, step: Step) -> list[Node]:
    found = []
    for target in targets(step):
        flow_id, step_id = resolve_target(node[0], target)
        resolved = bot.step(flow_id, step_id)
        if resolved is not None:
            found.append((flow_id, resolved.id))
    return found


def _roots(bot: Bot) -> list[Node]:
    flow_ids = [i.flow_id for i in bot.intents] + [bot.handoff_flow, bot.start_flow]
    return [(f, bot.flows[f].start) for f in flow_ids if f in bot.flows]


def _reachable(bot: Bot, roots: list[Node], graph: dict[Node, list[Node]]) -> set[Node]:
    seen: set[Node] = set()
    todo = [r for r in roots if r in graph]
    while todo:
        node = todo.pop()
        if node not in seen:
            seen.add(node)
            todo.extend(graph.get(node, []))
    return seen


def check_references(bot: Bot) -> list[Issue]:
    """Targets that name no existing step."""
    issues = []
    for (flow_id, step_id), step in _steps(bot):
        for target in targets(step):
            if bot.step(*resolve_target(flow_id, target)) is None:
                path = f"flows.{flow_id}.steps.{step_id}"
                issues.append(_error("unknown_target", path, f"leads to unknown step '{target}'"))
    return issues


def check_reachability(bot: Bot) -> list[Issue]:
    """Steps and flows nothing leads to."""
    graph = {node: _edges(bot, node, step) for node, step in _steps(bot)}
    seen = _reachable(bot, _roots(bot), graph)
    issues = []
    for flow in bot.flows.values():
        if not any((flow.id, s) in seen for s in flow.steps):
            msg = "no intent, handoff_flow, start_flow or step leads to this flow"
            issues.append(_warning("unreachable_flow", f"flows.{flow.id}", msg))
            continue
        for step_id in flow.steps:
            if (flow.id, step_id) not in seen:
                path = f"flows.{flow.id}.steps.{step_id}"
                issues.append(_warning("unreachable_step", path, "no step leads here"))
    return issues


def _is_dead_end(step: Step) -> bool:
    if step.kind in _EXITS:
        return False
    if step.kind == StepKind.BRANCH:
        return not (step.cases or step.default)
    return not targets(step)


def check_dead_ends(bot: Bot) -> list[Issue]:
    """Non-final steps with no way forward, and steps from which no handoff or end is reachable."""
    graph = {node: _edges(bot, node, step) for node, step in _steps(bot)}
    reverse: dict[Node, list[Node]] = {node: [] for node in graph}
    for node, edges in graph.items():
        for edge in edges:
            reverse[edge].append(node)
    exits = [node for node, step in _steps(bot) if step.kind in _EXITS]
    can_exit = _reachable(bot, exits, reverse)
    issues = []
    for node, step in _steps(bot):
        path = f"flows.{node[0]}.steps.{node[1]}"
        if _is_dead_end(step):
            msg = f"{step.kind.value} step has nowhere to go; add 'next' or use an end step"
            issues.append(_error("dead_end", path, msg))
        elif node not in can_exit:
            msg = "no path from here to a handoff or end step"
            issues.append(_warning("no_exit", path, msg))
        if step.kind == StepKind.BRANCH and step.cases and not step.default:
            covered = step.branch_on == "hours" and {"open", "closed"} <= set(step.cases)
            if not covered:
                issues.append(_warning("branch_without_default", path, "add a 'default' target"))
    return issues


def _step_texts(step: Step) -> Iterator[tuple[str, dict[str, str]]]:
    yield "text", step.text
    yield "error", step.error
    for i, option in enumerate(step.options):
        yield f"options[{i}].label", option.label
    for i, choice in enumerate(step.check.choices if step.check else []):
        yield f"validate.choices[{i}].label", choice.label


def _all_texts(bot: Bot) -> Iterator[tuple[str, dict[str, str]]]:
    for key, texts in bot.texts.items():
        yield f"texts.{key}", texts
    for intent in bot.intents:
        yield f"intents.{intent.name}.label", intent.label
    for (flow_id, step_id), step in _steps(bot):
        for field_name, texts in _step_texts(step):
            yield f"flows.{flow_id}.steps.{step_id}.{field_name}", texts


def check_translations(bot: Bot) -> list[Issue]:
    """Texts and intents lacking one of the bot's configured languages."""
    issues = []
    for path, texts in _all_texts(bot):
        for lang in bot.languages:
            if texts and not has_language(texts, lang):
                issues.append(_warning("missing_translation", path, f"no '{lang}' text"))
    for intent in bot.intents:
        entries = {**intent.phrases, **intent.keywords}
        if ANY_LANGUAGE in entries or intent.patterns:
            continue
        for lang in bot.languages:
            if not has_language({k: "x" for k, v in entries.items() if v}, lang):
                path = f"intents.{intent.name}"
                issues.append(_warning("missing_translation", path, f"no '{lang}' phrases"))
    return issues


def check_collisions(bot: Bot) -> list[Issue]:
    """The same phrase or keyword (after normalisation) in two intents of the same language."""
    owners: dict[tuple[str, str], str] = {}
    issues = []
    for intent in bot.intents:
        for mapping in (intent.phrases, intent.keywords):
            for lang, entries in mapping.items():
                for entry in entries:
                    key = (base_language(lang), normalize(entry))
                    owner = owners.setdefault(key, intent.name)
                    if owner != intent.name:
                        msg = f"'{entry}' ({lang}) is also used by intent '{owner}'"
                        issues.append(_warning("collision", f"intents.{intent.name}", msg))
    return issues


def check_regexes(bot: Bot) -> list[Issue]:
    """Regular expressions that do not compile."""
    issues = []
    for intent in bot.intents:
        for lang, patterns in intent.patterns.items():
            for pattern in patterns:
                if compile_pattern(pattern) is None:
                    path = f"intents.{intent.name}.patterns.{lang}"
                    issues.append(_error("invalid_regex", path, f"invalid regex '{pattern}'"))
    for (flow_id, step_id), step in _steps(bot):
        check = step.check
        if (
            check
            and check.kind == SlotKind.PATTERN
            and compile_pattern(check.pattern or "") is None
        ):
            path = f"flows.{flow_id}.steps.{step_id}.validate.pattern"
            issues.append(_error("invalid_regex", path, f"invalid regex '{check.pattern}'"))
    return issues


CHECKS = (
    check_references,
    check_reachability,
    check_dead_ends,
    check_translations,
    check_collisions,
    check_regexes,
)


def validate(bot: Bot) -> list[Issue]:
    """Every issue found, errors first."""
    issues = [issue for check in CHECKS for issue in check(bot)]
    return sorted(issues, key=lambda i: i.severity != Severity.ERROR)
