"""The conversation runner: `start` and `respond` are pure functions of bot, state and text."""

from __future__ import annotations

from typing import Any

from chatbot.engine.bot import Bot, Context
from chatbot.engine.flow import (
    WAITING_KINDS,
    Option,
    Step,
    StepKind,
    check_slot,
    choose_option,
    ordinal,
    yes_or_no,
)
from chatbot.engine.matcher import (
    AMBIGUOUS_MARGIN,
    Match,
    detect_handoff,
    fuzzy_ratio,
    is_ambiguous,
    is_exactly,
    match,
    prepare_text,
)
from chatbot.engine.steps import broken, finish_flow, goto, handoff, prompt_ask, prompt_options, run
from chatbot.engine.turn import (
    CHOICE_PREFIX,
    HANDOFF_PAYLOAD,
    INTENT_PREFIX,
    NO_PAYLOAD,
    OPTION_PREFIX,
    YES_PAYLOAD,
    QuickReply,
    Reply,
    Status,
    Turn,
)

# Consecutive misses after which the bot lists what it can do plus "talk to a person".
MISSES_BEFORE_OPTIONS = 2
MAX_SUGGESTIONS = 3
SUGGESTION_MIN_RATIO = 60


def start(bot: Bot, lang: str, context: Context | None = None) -> Reply:
    """Open a conversation: the bot's start flow, or the greeting with the menu."""
    turn = Turn.begin(bot, None, lang, context)
    if bot.start_flow and bot.step(bot.start_flow, None):
        run(turn, bot.start_flow, None)
    else:
        menu = [turn.intent_reply(name) for name in bot.menu if bot.intent(name)]
        turn.say(turn.text("greeting"), menu)
    return turn.finish()


def respond(
    bot: Bot,
    state: dict[str, Any] | None,
    user_text: str,
    lang: str,
    context: Context | None = None,
) -> Reply:
    """Answer one user message; the input state is never modified."""
    turn = Turn.begin(bot, state, lang, context)
    if turn.state["status"] == Status.ESCALATED.value:
        return turn.finish()  # a person has the conversation now; the bot stays quiet
    turn.state["turns"] += 1
    turn.user_text = (user_text or "").strip()
    _handle(turn, turn.user_text)
    return turn.finish()


def _handle(turn: Turn, text: str) -> None:
    payload = _exact_quick_reply(turn, text)
    if payload == HANDOFF_PAYLOAD:
        _escalate(turn, "quick reply 'talk to a person'")
        return
    phrase = None if payload else detect_handoff(text, turn.lang, turn.bot.handoff_phrases)
    if phrase:
        _escalate(turn, f"handoff phrase '{phrase}'")
        return
    if payload and _handle_payload(turn, payload):
        return
    step = turn.current_step()
    if step and step.kind in WAITING_KINDS and _answer_step(turn, step, text):
        return
    if text and _try_intents(turn, text, step):
        return
    _miss(turn, step, text)


def _exact_quick_reply(turn: Turn, text: str) -> str | None:
    """The payload of an offered quick reply the text selects exactly (payload, number, label)."""
    offered = turn.offered
    if not offered:
        return None
    for item in offered:
        if text == item.get("payload"):
            return item["payload"]
    number = ordinal(text)
    if number is not None:
        return offered[number - 1].get("payload") if 1 <= number <= len(offered) else None
    prepared = prepare_text(text, turn.lang)
    hits = [o.get("payload") for o in offered if is_exactly(o.get("label", ""), prepared)]
    return hits[0] if len(hits) == 1 else None


def _handle_payload(turn: Turn, payload: str) -> bool:
    step = turn.current_step()
    if payload.startswith(INTENT_PREFIX):
        name = payload.removeprefix(INTENT_PREFIX)
        if turn.bot.intent(name):
            _start_intent(turn, Match(name, 1.0, "quick reply", "quick_reply"))
            return True
        return False
    if step is None:
        return False
    index = _payload_index(payload)
    if payload.startswith(OPTION_PREFIX) and step.kind == StepKind.OPTIONS and index is not None:
        return _select(turn, step, index)
    choices = step.check.choices if step.check else []
    if payload.startswith(CHOICE_PREFIX) and step.kind == StepKind.ASK and index is not None:
        return 0 <= index < len(choices) and _answer_step(turn, step, str(index + 1))
    if payload in (YES_PAYLOAD, NO_PAYLOAD) and step.kind == StepKind.ASK_RESOLVED:
        _resolved(turn, step, payload == YES_PAYLOAD)
        return True
    return False


def _payload_index(payload: str) -> int | None:
    tail = payload.rpartition(":")[2]
    return int(tail) if tail.isdecimal() else None


def _answer_step(turn: Turn, step: Step, text: str) -> bool:
    """Handle the answer to a waiting step; False when the text does not answer it."""
    if step.kind == StepKind.OPTIONS:
        index = choose_option(step.options, text)
        return index is not None and _select(turn, step, index)
    if step.kind == StepKind.ASK:
        value = check_slot(step.check, text)
        if value is None:
            return False
        turn.state["slots"][step.slot or step.id] = value
        _note_progress(turn)
        choice = _chosen(step, value)
        goto(turn, (choice and choice.next) or step.next)
        return True
    answer = yes_or_no(text)
    if answer is None:
        return False
    _resolved(turn, step, answer)
    return True


def _chosen(step: Step, value: str) -> Option | None:
    if step.check is None:
        return None
    return next((c for c in step.check.choices if value in (c.value, *c.label.values())), None)


def _select(turn: Turn, step: Step, index: int) -> bool:
    if not 0 <= index < len(step.options):
        return False
    option = step.options[index]
    turn.out.reason = f"option '{turn.local(option.label)}'"
    if step.slot:
        turn.state["slots"][step.slot] = option.value or turn.local(option.label)
    _note_progress(turn)
    goto(turn, option.next or step.next)
    return True


def _resolved(turn: Turn, step: Step, solved: bool) -> None:
    turn.state["resolved"] = solved
    turn.out.resolved = solved
    _note_progress(turn)
    if solved and not step.yes_next:
        turn.say(turn.text("resolved"))
        finish_flow(turn)
        return
    if not solved and not step.no_next:
        _escalate(turn, "not resolved")
        return
    goto(turn, step.yes_next if solved else step.no_next)


def _note_progress(turn: Turn) -> None:
    turn.state["misses"] = 0
    turn.state["tries"] = 0


def _try_intents(turn: Turn, text: str, step: Step | None) -> bool:
    bot = turn.bot
    found = match(
        bot.intents, text, turn.lang, default_lang=bot.default_language, synonyms=bot.synonyms
    )
    if not found:
        return False
    top = found[0]
    intent = bot.intent(top.intent)
    if step is not None and intent is not None and intent.flow_id == turn.state["flow"]:
        return False  # asking for the flow we are in: treat as a miss at this step
    if is_ambiguous(found):
        _did_you_mean(turn, found)
        return True
    _start_intent(turn, top)
    return True


def _did_you_mean(turn: Turn, found: list[Match]) -> None:
    close = [m for m in found if found[0].score - m.score < AMBIGUOUS_MARGIN][:MAX_SUGGESTIONS]
    turn.out.did_you_mean = [m.intent for m in close]
    turn.out.score, turn.out.reason = close[0].score, close[0].reason
    replies = [turn.intent_reply(m.intent) for m in close] + [turn.person()]
    turn.say(turn.text("did_you_mean"), replies)


def _start_intent(turn: Turn, found: Match) -> None:
    intent = turn.bot.intent(found.intent)
    turn.out.matched_intent, turn.out.score, turn.out.reason = (
        found.intent,
        found.score,
        found.reason,
    )
    query = turn.user_text if found.kind != "quick_reply" else ""
    turn.state.update(
        intent=found.intent, resolved=None, query=query or turn.local(intent and intent.label)
    )
    turn.state["slots"].update(found.entities)
    _note_progress(turn)
    if intent is None or turn.bot.step(intent.flow_id, None) is None:
        broken(turn)
        return
    run(turn, intent.flow_id, None)


def _escalate(turn: Turn, reason: str) -> None:
    """A human was asked for: run the bot's handoff flow, or hand off directly."""
    turn.out.reason = turn.out.reason or reason
    flow = turn.bot.handoff_flow
    if flow and turn.state["flow"] != flow and turn.bot.step(flow, None):
        run(turn, flow, None)
        if turn.state["status"] == Status.ESCALATED.value or turn.out.messages:
            return
    handoff(turn, None, "")


def _miss(turn: Turn, step: Step | None, text: str) -> None:
    turn.state["misses"] += 1
    many = turn.state["misses"] >= MISSES_BEFORE_OPTIONS
    if step is not None and step.kind == StepKind.ASK:
        _invalid_answer(turn, step)
    elif step is not None and step.kind == StepKind.OPTIONS:
        turn.say(turn.text("choose_option"))
        prompt_options(turn, step, with_person=many)
    elif step is not None and step.kind == StepKind.ASK_RESOLVED:
        replies = turn.yes_no() + ([turn.person()] if many else [])
        turn.say(turn.local(step.text) or turn.text("did_it_help"), replies)
    elif many:
        turn.say(turn.text("fallback_options"), [*_suggestions(turn, text), turn.person()])
    else:
        turn.say(turn.text("fallback"))


def _invalid_answer(turn: Turn, step: Step) -> None:
    turn.state["tries"] += 1
    turn.say(turn.local(step.error) or turn.text("invalid"))
    if turn.state["tries"] >= max(1, step.max_tries):
        turn.state["tries"] = 0
        turn.say(turn.text("too_many_tries"), [turn.person()])
        return
    prompt_ask(turn, step, with_person=turn.state["misses"] >= MISSES_BEFORE_OPTIONS)


def _suggestions(turn: Turn, text: str) -> list[QuickReply]:
    """Intents that nearly matched the text, then the menu, as quick replies."""
    names = _near_misses(turn, text)
    for name in turn.bot.menu or [i.name for i in turn.bot.intents]:
        if name not in names and turn.bot.intent(name):
            names.append(name)
    return [turn.intent_reply(name) for name in names[:MAX_SUGGESTIONS]]


def _near_misses(turn: Turn, raw: str) -> list[str]:
    text = prepare_text(raw, turn.lang)
    scored = []
    for intent in turn.bot.intents:
        entries = [e for d in (intent.phrases, intent.keywords) for v in d.values() for e in v]
        best = max((fuzzy_ratio(e, text) for e in entries), default=0.0)
        if best >= SUGGESTION_MIN_RATIO:
            scored.append((best, intent.name))
    return [name for _, name in sorted(scored, key=lambda s: -s[0])]
