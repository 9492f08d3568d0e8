"""Flows as graphs of steps, plus the pure checks for slots, options and yes/no answers."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum

from rapidfuzz import fuzz

from chatbot.engine.matcher import compile_pattern, contains, is_exactly, prepare_text
from helpdesk.textnorm import CJK_RUN

Texts = dict[str, str]

OPTION_FUZZY_THRESHOLD = 80
_EMAIL = re.compile(r"[^@\s<>()\[\],;:\"]+@[^@\s<>()\[\],;:\"]+\.[^@\s<>()\[\],;:\".]{2,}")
_TRAILING_PUNCT = ".,;:!?)(\"'،。，！？；：、"

# Ordinal words a user may type instead of the option's number.
ORDINALS: dict[str, int] = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5,
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5,
    "ensimmäinen": 1, "toinen": 2, "kolmas": 3, "neljäs": 4, "viides": 5,
    "yksi": 1, "kaksi": 2, "kolme": 3, "neljä": 4, "viisi": 5,
    "الاول": 1, "الثاني": 2, "الثالث": 3, "الرابع": 4, "الخامس": 5,
    "واحد": 1, "اثنان": 2, "ثلاثه": 3, "اربعه": 4, "خمسه": 5,
    "第一": 1, "第二": 2, "第三": 3, "第四": 4, "第五": 5,
    "一": 1, "二": 2, "三": 3, "四": 4, "五": 5,
}  # fmt: skip

# Negative answers are checked first: "not really", "不是", "没有解决" contain positive words.
NO_WORDS = [
    "no", "nope", "nah", "not really", "didn't", "did not", "doesn't", "not solved", "n",
    "ei", "en", "ei ratkennut", "valitettavasti ei",
    "لا", "كلا", "ليس", "لم",
    "不", "没有", "没", "否", "不是", "没用",
]  # fmt: skip
YES_WORDS = [
    "yes", "yeah", "yep", "yup", "y", "sure", "it did", "solved", "thanks", "thank you",
    "great", "perfect", "ok", "okay", "helped",
    "kyllä", "joo", "juu", "jep", "kiitos", "ratkesi", "toimii",
    "نعم", "اجل", "ايوه", "شكرا", "تم", "بالتاكيد",
    "是", "是的", "好", "好的", "对", "解决了", "谢谢", "有用", "可以",
]  # fmt: skip


class StepKind(StrEnum):
    """What a step does; options, ask and ask_resolved wait for the user."""

    MESSAGE = "message"
    OPTIONS = "options"
    ASK = "ask"
    ARTICLES = "articles"
    ASK_RESOLVED = "ask_resolved"
    BRANCH = "branch"
    HANDOFF = "handoff"
    END = "end"


WAITING_KINDS = frozenset({StepKind.OPTIONS, StepKind.ASK, StepKind.ASK_RESOLVED})


class SlotKind(StrEnum):
    """How an `ask` step validates the answer."""

    TEXT = "text"
    EMAIL = "email"
    PATTERN = "pattern"
    CHOICE = "choice"


@dataclass(frozen=True)
class Option:
    """A quick reply: a label per language, where it leads, and an optional stored value."""

    label: Texts
    next: str | None = None
    value: str | None = None
    aliases: dict[str, list[str]] = field(default_factory=dict)


@dataclass(frozen=True)
class SlotCheck:
    """Validation for a collected slot."""

    kind: SlotKind = SlotKind.TEXT
    pattern: str | None = None
    choices: list[Option] = field(default_factory=list)
    transform: str | None = None
    min_length: int = 1


@dataclass(frozen=True)
class Step:
    """One node of a flow; which fields matter depends on `kind`."""

    id: str
    kind: StepKind
    text: Texts = field(default_factory=dict)
    next: str | None = None
    options: list[Option] = field(default_factory=list)
    slot: str | None = None
    check: SlotCheck | None = None
    error: Texts = field(default_factory=dict)
    max_tries: int = 3
    query: Texts = field(default_factory=dict)
    limit: int = 3
    empty_next: str | None = None
    yes_next: str | None = None
    no_next: str | None = None
    branch_on: str | None = None
    cases: dict[str, str] = field(default_factory=dict)
    default: str | None = None
    queue: str | None = None


@dataclass(frozen=True)
class Flow:
    """A graph of steps keyed by id; `start` is where the flow begins."""

    id: str
    steps: dict[str, Step]
    start: str


@dataclass(frozen=True)
class ArticleRef:
    """A knowledge-base article as returned by the injected search callback."""

    id: str
    title: str
    url: str = ""
    snippet: str = ""


def targets(step: Step) -> list[str]:
    """Every step reference a step can lead to, in a stable order."""
    found = [step.next, step.empty_next, step.yes_next, step.no_next, step.default]
    found += [opt.next for opt in step.options]
    if step.check:
        found += [opt.next for opt in step.check.choices]
    found += list(step.cases.values())
    return [t for t in found if t]


def resolve_target(flow_id: str, target: str) -> tuple[str, str | None]:
    """'step' stays in the flow; 'flow:step' jumps; 'flow:' means that flow's start (None)."""
    if ":" in target:
        other, _, step = target.partition(":")
        return other, step or None
    return flow_id, target


def ordinal(text: str) -> int | None:
    """A 1-based choice number from '2', '#2', '2.', '٢', 'second', 'toinen' or '第二'."""
    cleaned = text.strip().strip(_TRAILING_PUNCT).lstrip("#").strip()
    if cleaned.isdecimal() and len(cleaned) <= 2:
        return int(cleaned)
    prepared = prepare_text(cleaned)
    key = prepared.norm.removesuffix("个").removesuffix("項").removesuffix("项")
    key = key.removeprefix("option ").removeprefix("vaihtoehto ").strip()
    return ORDINALS.get(key) or ORDINALS.get(prepared.compact)


def _option_texts(option: Option) -> list[str]:
    texts = [t for t in option.label.values() if t]
    for aliases in option.aliases.values():
        texts.extend(aliases)
    if option.value:
        texts.append(option.value)
    return texts


def choose_option(options: list[Option], text: str) -> int | None:
    """Index of the option the text picks: by number, exact label, contained label, then typo."""
    number = ordinal(text)
    if number is not None:
        return number - 1 if 1 <= number <= len(options) else None
    prepared = prepare_text(text)
    for test in (is_exactly, contains):
        hits = [
            i for i, opt in enumerate(options) if any(test(t, prepared) for t in _option_texts(opt))
        ]
        if len(hits) == 1:
            return hits[0]
    best, best_ratio = None, 0.0
    for i, opt in enumerate(options):
        for label in _option_texts(opt):
            ratio = fuzz.token_set_ratio(prepare_text(label).norm, prepared.norm)
            if ratio > best_ratio:
                best, best_ratio = i, ratio
    return best if best_ratio >= OPTION_FUZZY_THRESHOLD else None


def yes_or_no(text: str) -> bool | None:
    """True for a yes, False for a no (negatives win), None when neither."""
    prepared = prepare_text(text)
    if any(contains(word, prepared) for word in NO_WORDS):
        return False
    if any(contains(word, prepared) for word in YES_WORDS):
        return True
    return None


def _candidates(text: str) -> list[str]:
    """The whole answer first, then each word without surrounding punctuation.

    Chinese and Japanese are written without spaces, so "订单号是NS12345" is one "word": the
    non-CJK runs inside a word are candidates too.
    """
    stripped = text.strip()
    words = [w.strip(_TRAILING_PUNCT) for w in stripped.split()]
    pieces = [p.strip(_TRAILING_PUNCT) for w in words for p in CJK_RUN.split(w) if p != w]
    return [stripped, *[w for w in words if w], *[p for p in pieces if p]]


def _transform(value: str, how: str | None) -> str:
    if how == "upper":
        return value.upper()
    if how == "lower":
        return value.lower()
    return value


def check_slot(check: SlotCheck | None, text: str) -> str | None:
    """The slot value the answer gives, or None when it is not valid."""
    check = check or SlotCheck()
    stripped = text.strip()
    if check.kind == SlotKind.EMAIL:
        found = _EMAIL.search(stripped)
        return found.group().strip(_TRAILING_PUNCT) if found else None
    if check.kind == SlotKind.PATTERN:
        compiled = compile_pattern(check.pattern or "")
        if compiled is None:
            return None
        hit = next((c for c in _candidates(stripped) if compiled.fullmatch(c)), None)
        return _transform(hit, check.transform) if hit is not None else None
    if check.kind == SlotKind.CHOICE:
        index = choose_option(check.choices, stripped)
        if index is None:
            return None
        choice = check.choices[index]
        return choice.value or next(iter(choice.label.values()), str(index + 1))
    if len(stripped) < max(1, check.min_length):
        return None
    return _transform(stripped, check.transform)
