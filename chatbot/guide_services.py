"""Guided troubleshooters: a widget's interactive bot flows walked as help-center pages.

Which flows are guides: every flow with an `options` or `ask` step, except the bot's start
(menu) flow and its handoff flow. The bot schema has no `guides` list or flow `title` yet, so
a guide's title is the label of the intent that starts the flow, else its first step's text.

State: the session keeps, per guide, the answers given so far (option payloads and slot texts),
never a database row. Each request rebuilds the engine state by replaying those answers through
the pure engine (`respond`), which makes Back a pop and a language switch mid-guide re-render
the current step in the new language. Answers are capped, so a replay is a handful of turns.

Events: `guide.started` and `guide.step` are buffered (hot path); `guide.completed` (outcome
solved, article, contact or ended) and `guide.abandoned` are written at once. A guide counts as
abandoned when the same session starts another guide or restarts it before it was completed;
a visitor who just leaves is not recorded (count started minus completed for that).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.utils.text import Truncator

from chatbot.bots import bot_for, pick_language, search_articles
from chatbot.demo import DEMO_KEY
from chatbot.engine import Bot, BotMessage, Context, Reply, Step, StepKind, respond
from chatbot.engine.flow import check_slot
from chatbot.engine.steps import run
from chatbot.engine.texts import pick, system_text
from chatbot.engine.turn import HANDOFF_PAYLOAD, Status, Turn
from chatbot.models import Widget
from helpdesk.events import buffer_event, record_event

GUIDE_STEP_KINDS = frozenset({StepKind.OPTIONS, StepKind.ASK})
SESSION_KEY = "guides"
MAX_ANSWERS = 30
TITLE_CHARS = 70


@dataclass(frozen=True)
class Guide:
    """One troubleshooter: the bot it belongs to, its flow and its title in one language."""

    bot: Bot
    flow_id: str
    slug: str
    title: str
    lang: str


@dataclass(frozen=True)
class Visitor:
    """Who the events are about."""

    visitor_id: str = ""
    session_id: str = ""
    language: str = ""


@dataclass
class Page:
    """What the step page shows: the latest turn split into intro messages and the question."""

    guide: Guide
    reply: Reply
    outcome: str
    number: int
    intro: list[BotMessage] = field(default_factory=list)
    question: BotMessage | None = None
    buttons: list[Any] = field(default_factory=list)
    wants_text: bool = False


def guide_widget() -> Widget | None:
    """The widget whose bot provides the guides: the configured or demo one, else the first."""
    key = getattr(settings, "GUIDES_WIDGET_KEY", DEMO_KEY)
    active = Widget.objects.filter(is_active=True).select_related("bot")
    return active.filter(public_key=key).first() or active.order_by("pk").first()


def guide_flow_ids(bot: Bot) -> list[str]:
    """The flows shown as guides, in definition order (see the module docstring)."""
    skip = {bot.start_flow, bot.handoff_flow}
    return [
        flow_id
        for flow_id, flow in bot.flows.items()
        if flow_id not in skip and any(s.kind in GUIDE_STEP_KINDS for s in flow.steps.values())
    ]


def _title(bot: Bot, flow_id: str, lang: str) -> str:
    intent = next((i for i in bot.intents if i.flow_id == flow_id), None)
    title = pick(intent.label, lang, bot.default_language) if intent else ""
    if not title:
        first = bot.step(flow_id, None)
        text = pick(first.text, lang, bot.default_language) if first else ""
        title = Truncator(text).chars(TITLE_CHARS)
    return title or flow_id.replace("_", " ").capitalize()


def list_guides(lang: str) -> list[Guide]:
    """Every guide of the guide widget, titled in `lang` (the bot's language if it lacks it)."""
    widget = guide_widget()
    if widget is None:
        return []
    bot = bot_for(widget)
    spoken = pick_language(bot, lang, widget.default_language)
    return [
        Guide(bot, flow_id, flow_id.replace("_", "-"), _title(bot, flow_id, spoken), spoken)
        for flow_id in guide_flow_ids(bot)
    ]


def find_guide(slug: str, lang: str) -> Guide | None:
    return next((g for g in list_guides(lang) if g.slug == slug), None)


def _context() -> Context:
    # Hours are not asked: on a web page the way to a person is the contact form, at any hour.
    return Context(search=search_articles)


def replay(guide: Guide, answers: list[str]) -> Reply:
    """The latest turn after starting the guide's flow and giving `answers` in order."""
    turn = Turn.begin(guide.bot, None, guide.lang, _context())
    run(turn, guide.flow_id, None)
    reply = turn.finish()
    for answer in answers:
        reply = respond(guide.bot, reply.state, answer, guide.lang, _context())
    return reply


def waiting_step(guide: Guide, reply: Reply) -> Step | None:
    state = reply.state
    if state["status"] != Status.ACTIVE.value:
        return None
    return guide.bot.step(state["flow"], state["step"])


def outcome_of(reply: Reply) -> str:
    """'' while the guide waits for an answer; else solved, article, contact or ended."""
    state = reply.state
    offered = [q.payload for m in reply.messages for q in m.quick_replies]
    if state["status"] == Status.ESCALATED.value or reply.handoff:
        return "contact"
    if state["status"] == Status.ACTIVE.value and offered != [HANDOFF_PAYLOAD]:
        return ""
    if state["resolved"] is True:
        return "solved"
    if any(m.articles for m in reply.messages):
        return "article"
    if HANDOFF_PAYLOAD in offered or state["resolved"] is False:
        return "contact"  # a broken definition or "no": only a person can help now
    return "ended"


def check_answer(guide: Guide, reply: Reply, answer: str) -> str:
    """An error text for an answer the current step does not accept; '' when it is fine."""
    step = waiting_step(guide, reply)
    if step is None:
        return _system(guide, "choose_option")
    offered = [o.get("payload") for o in reply.state["offered"]]
    if answer.startswith("#"):
        ok = answer in offered and answer != HANDOFF_PAYLOAD
        return "" if ok else _system(guide, "choose_option")
    if step.kind != StepKind.ASK or check_slot(step.check, answer) is None:
        own = pick(step.error, guide.lang, guide.bot.default_language)
        return own or _system(guide, "invalid")
    return ""


def _system(guide: Guide, key: str) -> str:
    return system_text(guide.bot.texts, key, guide.lang, guide.bot.default_language)


def build_page(guide: Guide, answers: list[str]) -> Page:
    """Replay the answers and split the latest turn into what the template shows."""
    reply = replay(guide, answers)
    page = Page(guide, reply, outcome_of(reply), number=len(answers) + 1)
    if page.outcome or not reply.messages:
        page.intro = list(reply.messages)
        return page
    *page.intro, page.question = reply.messages
    page.buttons = [q for q in page.question.quick_replies if q.payload != HANDOFF_PAYLOAD]
    step = waiting_step(guide, reply)
    page.wants_text = bool(step and step.kind == StepKind.ASK and not page.buttons)
    return page


# --- Session progress and events ------------------------------------------------------------
# session[SESSION_KEY] = {slug: {"answers": [...], "step": "<step id>", "done": "<outcome>"}}


def _progress(session: Any) -> dict[str, dict[str, Any]]:
    return session.get(SESSION_KEY) or {}


def _save(session: Any, progress: dict[str, dict[str, Any]]) -> None:
    session[SESSION_KEY] = progress  # reassign so the session backend sees the change


def _event(kind: str, who: Visitor, data: dict[str, Any], *, buffered: bool) -> None:
    write = buffer_event if buffered else record_event
    write(
        kind=kind,
        visitor_id=who.visitor_id,
        session_id=who.session_id,
        language=who.language,
        data=data,
    )


def _abandon(slug: str, entry: dict[str, Any], who: Visitor) -> None:
    if not entry.get("done"):
        data = {"guide": slug, "step": entry.get("step", ""), "answers": len(entry["answers"])}
        _event("guide.abandoned", who, data, buffered=False)


def open_page(session: Any, guide: Guide, who: Visitor) -> Page:
    """The guide's current page; starting it (and abandoning any other) on the first visit."""
    progress = _progress(session)
    entry = progress.get(guide.slug)
    if entry is None:
        for slug, other in progress.items():
            _abandon(slug, other, who)
        page = build_page(guide, [])
        entry = {"answers": [], "step": page.reply.step or "", "done": ""}
        _save(session, {guide.slug: entry})
        _event("guide.started", who, {"guide": guide.slug, "step": entry["step"]}, buffered=True)
        return page
    return build_page(guide, entry["answers"])


def answer(session: Any, guide: Guide, who: Visitor, text: str) -> str:
    """Apply one answer to the guide in progress; the error text when the step refused it."""
    entry = _progress(session).get(guide.slug)
    if entry is None or entry["done"]:
        return ""  # nothing waits for an answer (e.g. a resubmitted form): just show the page
    if len(entry["answers"]) >= MAX_ANSWERS:
        return _system(guide, "too_many_tries")
    before = replay(guide, entry["answers"])
    error = check_answer(guide, before, text)
    if error:
        return error
    after = respond(guide.bot, before.state, text, guide.lang, _context())
    outcome = outcome_of(after)
    step = after.step or entry["step"]
    _save(
        session, {guide.slug: {"answers": [*entry["answers"], text], "step": step, "done": outcome}}
    )
    data = {"guide": guide.slug, "step": after.step or "", "from": before.step or ""}
    _event("guide.step", who, data, buffered=True)
    if outcome:
        data = {"guide": guide.slug, "outcome": outcome, "step": before.step or ""}
        _event("guide.completed", who, data, buffered=False)
    return ""


def go_back(session: Any, guide: Guide) -> None:
    """Undo the last answer of a guide still in progress."""
    entry = _progress(session).get(guide.slug)
    if entry and entry["answers"] and not entry["done"]:
        answers = entry["answers"][:-1]
        step = replay(guide, answers).step or ""
        _save(session, {guide.slug: {"answers": answers, "step": step, "done": ""}})


def restart(session: Any, guide: Guide, who: Visitor) -> None:
    """Forget the guide's answers; an unfinished walk counts as abandoned."""
    progress = _progress(session)
    entry = progress.pop(guide.slug, None)
    if entry is not None:
        _abandon(guide.slug, entry, who)
        _save(session, progress)


def leave_for_contact(session: Any, guide: Guide, who: Visitor) -> None:
    """ "Talk to a person" ends an unfinished guide with the contact outcome."""
    progress = _progress(session)
    entry = progress.pop(guide.slug, None)
    if entry is not None and not entry["done"]:
        data = {"guide": guide.slug, "outcome": "contact", "step": entry["step"]}
        _event("guide.completed", who, data, buffered=False)
        _save(session, progress)
