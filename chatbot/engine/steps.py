"""Walking a flow: perform message, articles, branch and handoff steps until one waits."""

from __future__ import annotations

from chatbot.engine.flow import ArticleRef, Step, StepKind, check_slot, resolve_target
from chatbot.engine.turn import CHOICE_PREFIX, OPTION_PREFIX, Status, Turn

# A flow of message/branch steps longer than this is a loop in the bot definition.
MAX_HOPS = 25


def goto(turn: Turn, target: str | None) -> None:
    if not target:
        finish_flow(turn)
        return
    flow_id, step_id = resolve_target(turn.state["flow"] or "", target)
    run(turn, flow_id, step_id)


def finish_flow(turn: Turn) -> None:
    turn.state.update(flow=None, step=None, status=Status.IDLE.value, tries=0)


def run(turn: Turn, flow_id: str, step_id: str | None) -> None:
    """Walk message/branch/articles steps until one waits for the user or the flow ends."""
    for _ in range(MAX_HOPS):
        step = turn.bot.step(flow_id, step_id)
        if step is None:
            broken(turn)
            return
        turn.state.update(flow=flow_id, step=step.id, status=Status.ACTIVE.value)
        target = _enter(turn, step)
        if target is None:
            return
        flow_id, step_id = resolve_target(flow_id, target)
    broken(turn)


def _enter(turn: Turn, step: Step) -> str | None:
    """Perform a step; return the next target, or None when the turn stops here."""
    kind = step.kind
    if kind == StepKind.MESSAGE:
        turn.say(turn.local(step.text))
        return _next_or_finish(turn, step.next)
    if kind == StepKind.OPTIONS:
        prompt_options(turn, step, with_person=False)
        return None
    if kind == StepKind.ASK:
        return _enter_ask(turn, step)
    if kind == StepKind.ARTICLES:
        return _enter_articles(turn, step)
    if kind == StepKind.ASK_RESOLVED:
        turn.say(turn.local(step.text) or turn.text("did_it_help"), turn.yes_no())
        return None
    if kind == StepKind.BRANCH:
        target = _branch(turn, step)
        if target is None:
            broken(turn)
        return target
    if kind == StepKind.HANDOFF:
        handoff(turn, step.queue, turn.local(step.text))
        return None
    if step.text:
        turn.say(turn.local(step.text))
    finish_flow(turn)
    return None


def _next_or_finish(turn: Turn, target: str | None) -> str | None:
    if not target:
        finish_flow(turn)
    return target


def prompt_options(turn: Turn, step: Step, *, with_person: bool) -> None:
    replies = turn.option_replies(step.options, OPTION_PREFIX)
    if with_person:
        replies.append(turn.person())
    turn.say(turn.local(step.text) or turn.text("choose_option"), replies)


def _enter_ask(turn: Turn, step: Step) -> str | None:
    slot = step.slot or step.id
    known = turn.state["slots"].get(slot)
    if isinstance(known, str) and check_slot(step.check, known) is not None:
        turn.state["slots"][slot] = check_slot(step.check, known)
        return _next_or_finish(turn, step.next)  # already given, e.g. in the first message
    prompt_ask(turn, step, with_person=False)
    return None


def prompt_ask(turn: Turn, step: Step, *, with_person: bool) -> None:
    choices = step.check.choices if step.check else []
    replies = turn.option_replies(choices, CHOICE_PREFIX)
    if with_person:
        replies.append(turn.person())
    turn.say(turn.local(step.text), replies)


def _enter_articles(turn: Turn, step: Step) -> str | None:
    query = turn.local(step.query) or turn.state["query"]
    articles = _search(turn, query)[: max(1, step.limit)]
    if not articles:
        turn.say(turn.text("no_articles"))
        return _next_or_finish(turn, step.empty_next or step.next)
    turn.say(turn.local(step.text) or turn.text("articles_intro"), articles=articles)
    shown = turn.state["articles"]
    shown.extend(a.id for a in articles if a.id not in shown)
    return _next_or_finish(turn, step.next)


def _search(turn: Turn, query: str) -> list[ArticleRef]:
    try:
        return list(turn.ctx.search(query, turn.lang) or [])
    except Exception:  # a failing search must not break the conversation: show none
        return []


def _is_open(turn: Turn) -> bool:
    try:
        return bool(turn.ctx.is_open())
    except Exception:  # unknown hours: assume open so the customer still reaches a person
        return True


def _branch(turn: Turn, step: Step) -> str | None:
    if step.branch_on == "hours":
        key = "open" if _is_open(turn) else "closed"
        turn.out.out_of_hours = key == "closed"
    else:
        key = str(turn.state["slots"].get(step.slot or step.branch_on or "", ""))
    cases = {k.casefold(): v for k, v in step.cases.items()}
    return cases.get(key.casefold()) or step.default


def handoff(turn: Turn, queue: str | None, text: str) -> None:
    is_open = _is_open(turn)
    if not text:
        text = turn.text("handoff" if is_open else "out_of_hours")
    turn.out.out_of_hours = turn.out.out_of_hours or not is_open
    turn.say(text)
    turn.state.update(status=Status.ESCALATED.value, queue=queue or turn.bot.handoff_queue)
    turn.out.handoff = True
    turn.out.queue = turn.state["queue"]


def broken(turn: Turn) -> None:
    """The definition leads nowhere (missing step, loop): apologise and offer a person."""
    finish_flow(turn)
    turn.say(turn.text("fallback"), [turn.person()])
