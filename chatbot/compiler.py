"""Bot rows ⇄ the plain dict the pure engine loads (`chatbot.engine.load_bot` / `dump_bot`).

Both directions take the models through the bot row's relations or a `get_model` callable, so
the data migration can run them on historical models. Output is canonical: per-language texts
follow the bot's language order, so an export does not depend on how the database stores JSON
(PostgreSQL's jsonb reorders keys).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from chatbot.engine.matcher import ANY_LANGUAGE

PHRASE_KINDS = {"phrases": "phrase", "keywords": "keyword", "patterns": "pattern"}
# Step dict key -> FlowStep field, for the plain target/text fields.
STEP_FIELDS = {
    "next": "next_step", "slot": "slot", "empty_next": "empty_next", "yes_next": "yes_next",
    "no_next": "no_next", "branch_on": "branch_on", "default": "default_next", "queue": "queue",
}  # fmt: skip
STEP_TEXTS = ("text", "error", "query")
GetModel = Callable[[str], Any]


def _ordered(value: Mapping[str, Any] | None, order: list[str]) -> dict[str, Any]:
    """Keys in the bot's language order first, then the rest sorted."""
    value = value if isinstance(value, Mapping) else {}
    rank = {lang: i for i, lang in enumerate(order)}
    keys = sorted(value, key=lambda k: (rank.get(k, len(rank)), str(k)))
    return {k: value[k] for k in keys if value[k] not in (None, "", [])}


def bot_languages(bot: Any) -> list[str]:
    """The bot's languages, its default first, without repeats."""
    langs = [bot.default_language, *(bot.languages or [])]
    return list(dict.fromkeys(lang for lang in langs if lang))


def _language_order(bot: Any) -> list[str]:
    return [ANY_LANGUAGE, *bot_languages(bot)]


def _grouped(rows: Iterable[Any], order: list[str]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for row in rows:
        found.setdefault(row.language, []).append(row.text)
    return _ordered(found, order)


def _synonyms(rows: Iterable[Any], order: list[str]) -> dict[str, dict[str, str]]:
    found: dict[str, dict[str, str]] = {}
    for row in rows:
        found.setdefault(row.language, {})[row.word] = row.replacement
    return _ordered(found, order)


def _compile_intent(intent: Any, order: list[str]) -> dict[str, Any]:
    data: dict[str, Any] = {"name": intent.name}
    if intent.flow:
        data["flow"] = intent.flow
    if intent.label:
        data["label"] = _ordered(intent.label, order)
    phrases = list(intent.phrases.all())
    for key, kind in PHRASE_KINDS.items():
        found = _grouped((p for p in phrases if p.kind == kind), order)
        if found:
            data[key] = found
    synonyms = _synonyms(intent.synonyms.all(), order)
    if synonyms:
        data["synonyms"] = synonyms
    return data


def _compile_option(option: Any, order: list[str]) -> dict[str, Any]:
    data: dict[str, Any] = {"label": _ordered(option.label, order)}
    if option.next_step:
        data["next"] = option.next_step
    if option.value:
        data["value"] = option.value
    aliases = _ordered(option.aliases, order)
    if aliases:
        data["aliases"] = aliases
    return data


def _compile_check(step: Any, choices: list[dict[str, Any]]) -> dict[str, Any]:
    check: dict[str, Any] = {"kind": step.check_kind}
    if step.check_pattern:
        check["pattern"] = step.check_pattern
    if choices:
        check["choices"] = choices
    if step.check_transform:
        check["transform"] = step.check_transform
    if step.check_min_length != 1:
        check["min_length"] = step.check_min_length
    return check


def _compile_step(step: Any, order: list[str]) -> dict[str, Any]:
    data: dict[str, Any] = {"id": step.key, "kind": step.kind}
    for key in STEP_TEXTS:
        texts = _ordered(getattr(step, key), order)
        if texts:
            data[key] = texts
    for key, field_name in STEP_FIELDS.items():
        if getattr(step, field_name):
            data[key] = getattr(step, field_name)
    options = list(step.options.all())
    quick = [_compile_option(o, order) for o in options if not o.is_choice]
    if quick:
        data["options"] = quick
    if step.check_kind:
        choices = [_compile_option(o, order) for o in options if o.is_choice]
        data["validate"] = _compile_check(step, choices)
    if step.max_tries != 3:
        data["max_tries"] = step.max_tries
    if step.limit != 3:
        data["limit"] = step.limit
    if step.cases:
        data["cases"] = {str(k): v for k, v in sorted(step.cases.items())}
    return data


def compile_bot(bot: Any) -> dict[str, Any]:
    """The bot's rows as the dict `load_bot` reads (about seven queries; callers cache it)."""
    order = _language_order(bot)
    data: dict[str, Any] = {"name": bot.name, "default_language": bot.default_language}
    data["languages"] = list(bot.languages or [bot.default_language])
    for key in ("start_flow", "handoff_flow", "handoff_queue"):
        if getattr(bot, key):
            data[key] = getattr(bot, key)
    if bot.menu:
        data["menu"] = list(bot.menu)
    if bot.texts:
        data["texts"] = {k: _ordered(v, order) for k, v in sorted(bot.texts.items())}
    synonyms = _synonyms(bot.synonyms.filter(intent__isnull=True), order)
    if synonyms:
        data["synonyms"] = synonyms
    if bot.handoff_phrases:
        phrases = bot.handoff_phrases
        data["handoff_phrases"] = phrases if isinstance(phrases, list) else _ordered(phrases, order)
    intents = bot.intents.prefetch_related("phrases", "synonyms")
    data["intents"] = [_compile_intent(i, order) for i in intents]
    flows = bot.flows.prefetch_related("steps__options")
    data["flows"] = {
        flow.key: {
            "start": flow.start or next((s.key for s in flow.steps.all()), ""),
            "steps": [_compile_step(s, order) for s in flow.steps.all()],
        }
        for flow in flows
    }
    return data


def _per_language(value: Any) -> dict[str, list[str]]:
    """A dumped per-language list: a bare list means every language."""
    if isinstance(value, list):
        return {ANY_LANGUAGE: value}
    return dict(value or {})


def _write_intent(bot: Any, position: int, raw: dict[str, Any], get_model: GetModel) -> None:
    intent = get_model("Intent").objects.create(
        bot=bot, name=raw["name"], flow=raw.get("flow") or "", label=raw.get("label") or {},
        position=position,
    )  # fmt: skip
    phrase, rows = get_model("IntentPhrase"), []
    for key, kind in PHRASE_KINDS.items():
        for lang, texts in _per_language(raw.get(key)).items():
            rows += [phrase(intent=intent, kind=kind, language=lang, text=t) for t in texts]
    for i, row in enumerate(rows):
        row.position = i
    phrase.objects.bulk_create(rows)
    _write_synonyms(bot, intent, raw.get("synonyms") or {}, get_model)


def _write_synonyms(bot: Any, intent: Any, raw: dict, get_model: GetModel) -> None:
    synonym = get_model("Synonym")
    pairs = [(lang, w, r) for lang, words in raw.items() for w, r in words.items()]
    synonym.objects.bulk_create(
        synonym(bot=bot, intent=intent, language=lang, word=w, replacement=r, position=i)
        for i, (lang, w, r) in enumerate(pairs)
    )


def _option_rows(step: Any, raw: list[dict], is_choice: bool, get_model: GetModel) -> list:
    option = get_model("StepOption")
    return [
        option(
            step=step,
            is_choice=is_choice,
            label=item.get("label") or {},
            position=i,
            next_step=item.get("next") or "",
            value=item.get("value") or "",
            aliases=_per_language(item.get("aliases")) if item.get("aliases") else {},
        )
        for i, item in enumerate(raw)
    ]


def _write_step(flow: Any, position: int, raw: dict[str, Any], get_model: GetModel) -> list:
    check = raw.get("validate") or {}
    fields = {name: raw.get(key) or "" for key, name in STEP_FIELDS.items()}
    step = get_model("FlowStep").objects.create(
        flow=flow, key=raw["id"], kind=raw["kind"], position=position,
        **{key: raw.get(key) or {} for key in STEP_TEXTS}, **fields,
        check_kind=check.get("kind") or "", check_pattern=check.get("pattern") or "",
        check_transform=check.get("transform") or "",
        check_min_length=check.get("min_length", 1), max_tries=raw.get("max_tries", 3),
        limit=raw.get("limit", 3), cases=raw.get("cases") or {},
    )  # fmt: skip
    options = _option_rows(step, raw.get("options") or [], False, get_model)
    return options + _option_rows(step, check.get("choices") or [], True, get_model)


def write_bot(bot: Any, data: Mapping[str, Any], get_model: GetModel) -> None:
    """Replace the bot's rows with `data` (a dict as `dump_bot` writes it; already checked)."""
    bot.name = data.get("name") or bot.name
    bot.default_language = data.get("default_language") or "en"
    bot.languages = list(data.get("languages") or [bot.default_language])
    for key in ("start_flow", "handoff_flow", "handoff_queue"):
        setattr(bot, key, data.get(key) or "")
    bot.menu = list(data.get("menu") or [])
    bot.texts = dict(data.get("texts") or {})
    bot.handoff_phrases = data.get("handoff_phrases") or {}
    bot.save()
    bot.synonyms.all().delete()
    bot.intents.all().delete()
    bot.flows.all().delete()
    _write_synonyms(bot, None, data.get("synonyms") or {}, get_model)
    for position, raw in enumerate(data.get("intents") or []):
        _write_intent(bot, position, raw, get_model)
    options: list = []
    for position, (key, raw) in enumerate((data.get("flows") or {}).items()):
        flow = get_model("Flow").objects.create(
            bot=bot, key=key, start=raw.get("start") or "", position=position
        )
        for step_position, step in enumerate(raw.get("steps") or []):
            options += _write_step(flow, step_position, step, get_model)
    get_model("StepOption").objects.bulk_create(options)
