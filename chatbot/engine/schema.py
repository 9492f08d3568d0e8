"""Load a bot definition from plain dicts (YAML, JSON, admin forms) and dump it back."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import MISSING, dataclass, field, fields
from typing import Any

from chatbot.engine.bot import Bot
from chatbot.engine.flow import (
    Flow,
    Option,
    SlotCheck,
    SlotKind,
    Step,
    StepKind,
    resolve_target,
    targets,
)
from chatbot.engine.matcher import ANY_LANGUAGE, Intent

BOT_KEYS = {
    "name", "default_language", "languages", "intents", "flows", "texts", "menu", "synonyms",
    "handoff_phrases", "handoff_flow", "handoff_queue", "start_flow",
}  # fmt: skip
INTENT_KEYS = {"name", "flow", "label", "phrases", "keywords", "patterns", "synonyms"}
STEP_KEYS = {
    "id", "kind", "text", "next", "options", "slot", "validate", "error", "max_tries", "query",
    "limit", "empty_next", "yes_next", "no_next", "branch_on", "cases", "default", "queue",
}  # fmt: skip
OPTION_KEYS = {"label", "next", "value", "aliases"}
CHECK_KEYS = {"kind", "pattern", "choices", "transform", "min_length"}


class SchemaError(ValueError):
    """The definition cannot be loaded; `errors` lists every problem with its path."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("invalid bot definition:\n" + "\n".join(f"- {e}" for e in errors))
        self.errors = errors


@dataclass
class _Reader:
    """Collects errors with their path instead of stopping at the first one."""

    default_lang: str = "en"
    errors: list[str] = field(default_factory=list)

    def fail(self, path: str, message: str) -> None:
        self.errors.append(f"{path}: {message}")

    def mapping(self, value: Any, path: str, keys: set[str] | None = None) -> Mapping[str, Any]:
        if value is None:
            return {}
        if not isinstance(value, Mapping):
            self.fail(path, f"expected a mapping, got {type(value).__name__}")
            return {}
        for key in sorted(set(value) - keys if keys else set(), key=str):
            self.fail(path, f"unknown key '{key}' (allowed: {', '.join(sorted(keys or []))})")
        for key in value:
            if isinstance(key, bool):
                self.fail(path, f"key read as boolean {key}: quote yes/no/on/off keys in YAML")
        return value

    def text(self, value: Any, path: str, *, required: bool = False) -> str | None:
        if value is None:
            if required:
                self.fail(path, "is required")
            return None
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            self.fail(path, f"expected a string, got {type(value).__name__}")
            return None
        return str(value)

    def texts(self, value: Any, path: str) -> dict[str, str]:
        """Per-language texts; a bare string means the default language."""
        if isinstance(value, str):
            return {self.default_lang: value}
        found = {str(k): self.text(v, f"{path}.{k}") for k, v in self.mapping(value, path).items()}
        return {k: v for k, v in found.items() if v}

    def strings(self, value: Any, path: str) -> list[str]:
        if value is None:
            return []
        if isinstance(value, str) or not isinstance(value, list):
            self.fail(path, "expected a list of strings")
            return []
        return [s for i, v in enumerate(value) if (s := self.text(v, f"{path}[{i}]"))]

    def per_language_lists(self, value: Any, path: str) -> dict[str, list[str]]:
        """{lang: [..]}; a bare list applies to every language."""
        if isinstance(value, list):
            return {ANY_LANGUAGE: self.strings(value, path)}
        return {
            str(k): self.strings(v, f"{path}.{k}") for k, v in self.mapping(value, path).items()
        }

    def synonyms(self, value: Any, path: str) -> dict[str, dict[str, str]]:
        found: dict[str, dict[str, str]] = {}
        for lang, mapping in self.mapping(value, path).items():
            pairs = self.mapping(mapping, f"{path}.{lang}")
            found[str(lang)] = {str(k): str(v) for k, v in pairs.items()}
        return found

    def integer(self, value: Any, path: str, default: int, low: int, high: int) -> int:
        if value is None:
            return default
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            self.fail(path, f"expected a whole number from {low} to {high}")
            return default
        return value


def _option(reader: _Reader, raw: Any, path: str) -> Option:
    data = reader.mapping(raw, path, OPTION_KEYS)
    label = reader.texts(data.get("label"), f"{path}.label")
    if not label:
        reader.fail(f"{path}.label", "is required")
    return Option(
        label=label,
        next=reader.text(data.get("next"), f"{path}.next"),
        value=reader.text(data.get("value"), f"{path}.value"),
        aliases=reader.per_language_lists(data.get("aliases"), f"{path}.aliases"),
    )


def _options(reader: _Reader, raw: Any, path: str) -> list[Option]:
    if raw is None:
        return []
    if not isinstance(raw, list):
        reader.fail(path, "expected a list of options")
        return []
    return [_option(reader, item, f"{path}[{i}]") for i, item in enumerate(raw)]


def _check(reader: _Reader, raw: Any, path: str) -> SlotCheck | None:
    if raw is None:
        return None
    data = reader.mapping(raw, path, CHECK_KEYS)
    kind_name = data.get("kind", SlotKind.TEXT.value)
    if kind_name not in {k.value for k in SlotKind}:
        reader.fail(f"{path}.kind", f"unknown slot kind '{kind_name}'")
        kind_name = SlotKind.TEXT.value
    check = SlotCheck(
        kind=SlotKind(kind_name),
        pattern=reader.text(data.get("pattern"), f"{path}.pattern"),
        choices=_options(reader, data.get("choices"), f"{path}.choices"),
        transform=reader.text(data.get("transform"), f"{path}.transform"),
        min_length=reader.integer(data.get("min_length"), f"{path}.min_length", 1, 0, 10_000),
    )
    if check.kind == SlotKind.PATTERN and not check.pattern:
        reader.fail(f"{path}.pattern", "is required for a pattern slot")
    if check.kind == SlotKind.CHOICE and not check.choices:
        reader.fail(f"{path}.choices", "is required for a choice slot")
    if check.transform not in (None, "upper", "lower"):
        reader.fail(f"{path}.transform", "must be 'upper' or 'lower'")
    return check


def _step(reader: _Reader, raw: Any, path: str) -> Step | None:
    data = reader.mapping(raw, path, STEP_KEYS)
    step_id = reader.text(data.get("id"), f"{path}.id", required=True)
    kind_name = data.get("kind")
    if kind_name not in {k.value for k in StepKind}:
        reader.fail(f"{path}.kind", f"unknown step kind '{kind_name}'")
        return None
    if not step_id:
        return None
    return Step(
        id=step_id,
        kind=StepKind(kind_name),
        text=reader.texts(data.get("text"), f"{path}.text"),
        next=reader.text(data.get("next"), f"{path}.next"),
        options=_options(reader, data.get("options"), f"{path}.options"),
        slot=reader.text(data.get("slot"), f"{path}.slot"),
        check=_check(reader, data.get("validate"), f"{path}.validate"),
        error=reader.texts(data.get("error"), f"{path}.error"),
        max_tries=reader.integer(data.get("max_tries"), f"{path}.max_tries", 3, 1, 20),
        query=reader.texts(data.get("query"), f"{path}.query"),
        limit=reader.integer(data.get("limit"), f"{path}.limit", 3, 1, 10),
        empty_next=reader.text(data.get("empty_next"), f"{path}.empty_next"),
        yes_next=reader.text(data.get("yes_next"), f"{path}.yes_next"),
        no_next=reader.text(data.get("no_next"), f"{path}.no_next"),
        branch_on=reader.text(data.get("branch_on"), f"{path}.branch_on"),
        cases={
            str(k): str(v) for k, v in reader.mapping(data.get("cases"), f"{path}.cases").items()
        },
        default=reader.text(data.get("default"), f"{path}.default"),
        queue=reader.text(data.get("queue"), f"{path}.queue"),
    )


def _check_step_shape(reader: _Reader, step: Step, path: str) -> None:
    if step.kind == StepKind.OPTIONS and not step.options:
        reader.fail(f"{path}.options", "an options step needs at least one option")
    if step.kind == StepKind.BRANCH and not (step.branch_on or step.slot):
        reader.fail(f"{path}.branch_on", "a branch needs 'branch_on: hours' or a slot name")
    if step.kind == StepKind.ASK and step.check is None:
        reader.fail(f"{path}.validate", "an ask step needs 'validate' (use kind: text for any)")


def _flow(reader: _Reader, flow_id: str, raw: Any, path: str) -> Flow:
    data = reader.mapping(raw, path, {"start", "steps"})
    steps: dict[str, Step] = {}
    raw_steps = data.get("steps")
    if not isinstance(raw_steps, list) or not raw_steps:
        reader.fail(f"{path}.steps", "expected a non-empty list of steps")
        raw_steps = []
    for i, item in enumerate(raw_steps):
        step = _step(reader, item, f"{path}.steps[{i}]")
        if step is None:
            continue
        if step.id in steps:
            reader.fail(f"{path}.steps[{i}].id", f"duplicate step id '{step.id}'")
        _check_step_shape(reader, step, f"{path}.steps[{i}]")
        steps[step.id] = step
    start = reader.text(data.get("start"), f"{path}.start") or next(iter(steps), "")
    return Flow(id=flow_id, steps=steps, start=start)


def _intent(reader: _Reader, raw: Any, path: str) -> Intent | None:
    data = reader.mapping(raw, path, INTENT_KEYS)
    name = reader.text(data.get("name"), f"{path}.name", required=True)
    if not name:
        return None
    return Intent(
        name=name,
        flow=reader.text(data.get("flow"), f"{path}.flow"),
        label=reader.texts(data.get("label"), f"{path}.label"),
        phrases=reader.per_language_lists(data.get("phrases"), f"{path}.phrases"),
        keywords=reader.per_language_lists(data.get("keywords"), f"{path}.keywords"),
        patterns=reader.per_language_lists(data.get("patterns"), f"{path}.patterns"),
        synonyms=reader.synonyms(data.get("synonyms"), f"{path}.synonyms"),
    )


def _intents(reader: _Reader, raw: Any) -> list[Intent]:
    if raw is None:
        return []
    if not isinstance(raw, list):
        reader.fail("intents", "expected a list of intents")
        return []
    intents: list[Intent] = []
    for i, item in enumerate(raw):
        intent = _intent(reader, item, f"intents[{i}]")
        if intent and any(existing.name == intent.name for existing in intents):
            reader.fail(f"intents[{i}].name", f"duplicate intent '{intent.name}'")
        elif intent:
            intents.append(intent)
    return intents


def _check_references(reader: _Reader, bot: Bot) -> None:
    """Every step, flow and intent a definition names must exist."""
    for flow in bot.flows.values():
        if flow.start not in flow.steps:
            reader.fail(f"flows.{flow.id}.start", f"unknown step '{flow.start}'")
        for step in flow.steps.values():
            for target in targets(step):
                other, step_id = resolve_target(flow.id, target)
                if bot.step(other, step_id) is None:
                    where = f"flows.{flow.id}.steps.{step.id}"
                    reader.fail(where, f"unknown step '{target}'")
    for intent in bot.intents:
        if intent.flow_id not in bot.flows:
            reader.fail(f"intents.{intent.name}.flow", f"unknown flow '{intent.flow_id}'")
    for name in bot.menu:
        if bot.intent(name) is None:
            reader.fail("menu", f"unknown intent '{name}'")
    for key in ("handoff_flow", "start_flow"):
        flow_id = getattr(bot, key)
        if flow_id and flow_id not in bot.flows:
            reader.fail(key, f"unknown flow '{flow_id}'")


def load_bot(data: Mapping[str, Any]) -> Bot:
    """Build a Bot from plain data; raise SchemaError listing every problem found."""
    reader = _Reader()
    top = reader.mapping(data, "bot", BOT_KEYS)
    reader.default_lang = reader.text(top.get("default_language"), "default_language") or "en"
    flows_raw = reader.mapping(top.get("flows"), "flows")
    bot = Bot(
        name=reader.text(top.get("name"), "name") or "bot",
        default_language=reader.default_lang,
        languages=reader.strings(top.get("languages"), "languages") or [reader.default_lang],
        intents=_intents(reader, top.get("intents")),
        flows={str(k): _flow(reader, str(k), v, f"flows.{k}") for k, v in flows_raw.items()},
        texts={
            str(k): reader.texts(v, f"texts.{k}")
            for k, v in reader.mapping(top.get("texts"), "texts").items()
        },
        menu=reader.strings(top.get("menu"), "menu"),
        synonyms=reader.synonyms(top.get("synonyms"), "synonyms"),
        handoff_phrases=reader.per_language_lists(top.get("handoff_phrases"), "handoff_phrases"),
        handoff_flow=reader.text(top.get("handoff_flow"), "handoff_flow"),
        handoff_queue=reader.text(top.get("handoff_queue"), "handoff_queue"),
        start_flow=reader.text(top.get("start_flow"), "start_flow"),
    )
    if not reader.errors:
        _check_references(reader, bot)
    if reader.errors:
        raise SchemaError(reader.errors)
    return bot


def _default(f: Any) -> Any:
    return f.default_factory() if f.default_factory is not MISSING else f.default


def _lists(value: dict[str, list[str]]) -> Any:
    """Per-language lists; lists for every language dump back as a bare list."""
    if set(value) == {ANY_LANGUAGE}:
        return list(value[ANY_LANGUAGE])
    return {k: list(v) for k, v in value.items()}


def _dump_option(option: Option) -> dict[str, Any]:
    data: dict[str, Any] = {"label": dict(option.label)}
    if option.next:
        data["next"] = option.next
    if option.value:
        data["value"] = option.value
    if option.aliases:
        data["aliases"] = _lists(option.aliases)
    return data


def _dump_check(check: SlotCheck) -> dict[str, Any]:
    data: dict[str, Any] = {"kind": check.kind.value}
    for f in fields(SlotCheck):
        value = getattr(check, f.name)
        if f.name != "kind" and value != _default(f):
            data[f.name] = [_dump_option(o) for o in value] if f.name == "choices" else value
    return data


def _dump_step(step: Step) -> dict[str, Any]:
    data: dict[str, Any] = {"id": step.id, "kind": step.kind.value}
    for f in fields(Step):
        value = getattr(step, f.name)
        if f.name in ("id", "kind") or value == _default(f):
            continue
        if f.name == "options":
            data["options"] = [_dump_option(o) for o in value]
        elif f.name == "check":
            data["validate"] = _dump_check(value)
        else:
            data[f.name] = dict(value) if isinstance(value, dict) else value
    return data


def _dump_intent(intent: Intent) -> dict[str, Any]:
    data: dict[str, Any] = {"name": intent.name}
    if intent.flow:
        data["flow"] = intent.flow
    if intent.label:
        data["label"] = dict(intent.label)
    for key in ("phrases", "keywords", "patterns"):
        if getattr(intent, key):
            data[key] = _lists(getattr(intent, key))
    if intent.synonyms:
        data["synonyms"] = {k: dict(v) for k, v in intent.synonyms.items()}
    return data


def dump_bot(bot: Bot) -> dict[str, Any]:
    """Plain, YAML-friendly data that `load_bot` turns back into an equal Bot."""
    data: dict[str, Any] = {
        "name": bot.name,
        "default_language": bot.default_language,
        "languages": list(bot.languages),
    }
    for key in ("handoff_flow", "handoff_queue", "start_flow"):
        if getattr(bot, key):
            data[key] = getattr(bot, key)
    if bot.menu:
        data["menu"] = list(bot.menu)
    if bot.texts:
        data["texts"] = {k: dict(v) for k, v in bot.texts.items()}
    if bot.synonyms:
        data["synonyms"] = {k: dict(v) for k, v in bot.synonyms.items()}
    if bot.handoff_phrases:
        data["handoff_phrases"] = _lists(bot.handoff_phrases)
    data["intents"] = [_dump_intent(i) for i in bot.intents]
    data["flows"] = {
        flow.id: {"start": flow.start, "steps": [_dump_step(s) for s in flow.steps.values()]}
        for flow in bot.flows.values()
    }
    return data
