"""Deterministic intent matching: phrases, regexes, keywords, synonyms and fuzzy typos."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from functools import lru_cache

from rapidfuzz import fuzz

from helpdesk.textnorm import base_language, is_cjk, normalize, tokenize

# Score bands keep the tiers ordered: phrase > regex > keywords > fuzzy.
PHRASE_EXACT = 1.0
PHRASE_CONTAINED = 0.85
# A phrase covering more of the message wins: "hi, where is my order" is about the order.
PHRASE_COVERAGE = 0.14
REGEX_SCORE = 0.83
KEYWORD_BASE = 0.72
KEYWORD_STEP = 0.04
KEYWORD_MAX = 0.8
FUZZY_MIN = 0.5
FUZZY_MAX = 0.6
# A near-miss on a whole phrase says more than a near-miss on one keyword.
FUZZY_PHRASE_BONUS = 0.06
OTHER_LANGUAGE_PENALTY = 0.02
FUZZY_THRESHOLD = 80
# Callers ask "did you mean A or B?" when the runner-up is this close to the winner.
AMBIGUOUS_MARGIN = 0.03
ANY_LANGUAGE = "*"
# Arabic attaches articles and prepositions to the word: "الموظف", "بالطلب", "وشكرا".
_ARABIC_CLITICS = ("ال", "و", "ب", "ل", "ف", "ك", "بال", "وال", "لل", "فال", "كال", "وب", "ول")

# Requests for a human, checked by the runner before anything else at every step.
HANDOFF_PHRASES: dict[str, list[str]] = {
    "en": [
        "agent", "human", "person", "talk to someone", "speak to someone", "real person",
        "operator", "representative", "customer service", "live chat", "support staff",
    ],
    "fi": [
        "ihminen", "ihmisen", "ihmiselle", "asiakaspalvelija*", "asiakaspalvelu*",
        "henkilö", "henkilön", "henkilölle", "oikea ihminen", "puhua jonkun kanssa",
    ],
    "ar": ["موظف", "شخص", "انسان", "بشري", "خدمه العملاء", "وكيل", "ممثل خدمه"],
    "zh": ["人工", "客服", "真人", "转人工", "人工服务"],
}  # fmt: skip


@dataclass(frozen=True)
class Intent:
    """Something the user wants; per-language phrases and keywords start its flow."""

    name: str
    flow: str | None = None
    label: dict[str, str] = field(default_factory=dict)
    phrases: dict[str, list[str]] = field(default_factory=dict)
    keywords: dict[str, list[str]] = field(default_factory=dict)
    patterns: dict[str, list[str]] = field(default_factory=dict)
    synonyms: dict[str, dict[str, str]] = field(default_factory=dict)

    @property
    def flow_id(self) -> str:
        """The flow this intent starts (defaults to a flow named like the intent)."""
        return self.flow or self.name


@dataclass(frozen=True)
class Match:
    """One candidate intent with a score in [0, 1] and a reason a person can read."""

    intent: str
    score: float
    reason: str
    kind: str
    entities: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class _Pattern:
    """A phrase or keyword prepared for matching: tokens (trailing `*` = prefix) or CJK run."""

    source: str
    tokens: tuple[str, ...]
    prefix: tuple[bool, ...]
    cjk: str


@dataclass(frozen=True)
class _Text:
    """The user's text in the forms the matchers need."""

    raw: str
    norm: str
    tokens: tuple[str, ...]
    compact: str


def _has_cjk(text: str) -> bool:
    return any(is_cjk(ch) for ch in text)


@lru_cache(maxsize=4096)
def _prepare(source: str) -> _Pattern:
    norm = normalize(source)
    if _has_cjk(norm):
        return _Pattern(source, (), (), norm.replace(" ", ""))
    tokens: list[str] = []
    prefix: list[bool] = []
    for piece in norm.split(" "):
        parts = tokenize(piece.rstrip("*"))
        tokens.extend(parts)
        prefix.extend([False] * (len(parts) - 1) + ([piece.endswith("*")] if parts else []))
    return _Pattern(source, tuple(tokens), tuple(prefix), "")


def prepare_text(text: str, lang: str = "") -> _Text:
    """Normalise the user's text once for all intents."""
    norm = normalize(text, lang)
    return _Text(text, norm, tuple(tokenize(norm, lang)), norm.replace(" ", ""))


def _token_hit(word: str, is_prefix: bool, token: str) -> bool:
    if token == word or (is_prefix and token.startswith(word)):
        return True
    if token.endswith(word) and len(word) >= 3:
        return token[: len(token) - len(word)] in _ARABIC_CLITICS
    return False


def contains(pattern: str, text: _Text) -> bool:
    """True when the phrase occurs in the text: word sequence, or substring for CJK."""
    prepared = _prepare(pattern)
    if prepared.cjk:
        return bool(prepared.cjk) and prepared.cjk in text.compact
    n = len(prepared.tokens)
    if n == 0:
        return False
    for start in range(len(text.tokens) - n + 1):
        window = text.tokens[start : start + n]
        if all(
            _token_hit(w, p, t)
            for w, p, t in zip(prepared.tokens, prepared.prefix, window, strict=True)
        ):
            return True
    return False


def has_all_words(pattern: str, text: _Text) -> bool:
    """True when every word of the keyword occurs somewhere in the text, in any order."""
    prepared = _prepare(pattern)
    if prepared.cjk:
        return prepared.cjk in text.compact
    if not prepared.tokens:
        return False
    return all(
        any(_token_hit(w, p, t) for t in text.tokens)
        for w, p in zip(prepared.tokens, prepared.prefix, strict=True)
    )


def is_exactly(pattern: str, text: _Text) -> bool:
    """True when the whole text is the phrase (ignoring case, spacing and punctuation)."""
    prepared = _prepare(pattern)
    if prepared.cjk:
        return prepared.cjk == "".join(ch for ch in text.compact if ch.isalnum())
    return prepared.tokens == text.tokens and not any(prepared.prefix)


def apply_synonyms(text: str, synonyms: Mapping[str, str]) -> str:
    """Replace variant words/phrases by their canonical form on normalised text."""
    for variant, canonical in synonyms.items():
        var = normalize(variant)
        if not var:
            continue
        if _has_cjk(var):
            text = text.replace(var, normalize(canonical))
        else:
            text = re.sub(rf"(?<!\w){re.escape(var)}(?!\w)", normalize(canonical), text)
    return text


def _languages(mapping: Mapping[str, object], lang: str) -> list[tuple[str, bool]]:
    """Keys of a per-language mapping, each flagged True when it is the user's language."""
    base = base_language(lang)
    return [(code, code == ANY_LANGUAGE or base_language(code) == base) for code in mapping]


def _with_penalty(score: float, own_language: bool) -> float:
    return round(score if own_language else score - OTHER_LANGUAGE_PENALTY, 4)


def _coverage(pattern: str, text: _Text) -> float:
    """Share of the message the phrase accounts for, 0..1."""
    prepared = _prepare(pattern)
    if prepared.cjk:
        return min(1.0, len(prepared.cjk) / max(1, len(text.compact)))
    return min(1.0, len(prepared.tokens) / max(1, len(text.tokens)))


def _phrase_match(intent: Intent, text: _Text, lang: str) -> Match | None:
    best: Match | None = None
    for code, own in _languages(intent.phrases, lang):
        for phrase in intent.phrases[code]:
            if is_exactly(phrase, text):
                score, how = PHRASE_EXACT, "exact phrase"
            elif contains(phrase, text):
                score, how = PHRASE_CONTAINED + PHRASE_COVERAGE * _coverage(phrase, text), "phrase"
            else:
                continue
            score = _with_penalty(score, own)
            if best is None or score > best.score:
                best = Match(intent.name, score, f"{how} '{phrase}'", "phrase")
    return best


@lru_cache(maxsize=1024)
def compile_pattern(pattern: str) -> re.Pattern[str] | None:
    """Compile an author's regex case-insensitively; None when it is invalid."""
    try:
        return re.compile(pattern, re.IGNORECASE)
    except re.error:
        return None


def _regex_match(intent: Intent, text: _Text, lang: str) -> Match | None:
    for code, own in _languages(intent.patterns, lang):
        for pattern in intent.patterns[code]:
            compiled = compile_pattern(pattern)
            if compiled is None:
                continue
            found = compiled.search(text.raw.strip()) or compiled.search(text.norm)
            if found:
                entities = {k: v for k, v in found.groupdict().items() if v}
                score = _with_penalty(REGEX_SCORE, own)
                return Match(intent.name, score, f"regex '{pattern}'", "regex", entities)
    return None


def _keyword_match(intent: Intent, text: _Text, lang: str) -> Match | None:
    best: Match | None = None
    for code, own in _languages(intent.keywords, lang):
        hits = [kw for kw in intent.keywords[code] if has_all_words(kw, text)]
        if not hits:
            continue
        raw = min(KEYWORD_MAX, KEYWORD_BASE + KEYWORD_STEP * (len(hits) - 1))
        score = _with_penalty(raw, own)
        if best is None or score > best.score:
            quoted = ", ".join(f"'{kw}'" for kw in hits)
            best = Match(intent.name, score, f"keyword {quoted}", "keyword")
    return best


def fuzzy_ratio(pattern: str, text: _Text) -> float:
    """Similarity 0..100 between a phrase/keyword and the text, tolerant of typos."""
    prepared = _prepare(pattern)
    if prepared.cjk:
        if len(prepared.cjk) < 3 or len(text.compact) < 3:
            return 0.0
        return fuzz.partial_ratio(prepared.cjk, text.compact)
    if len(prepared.tokens) == 1:
        word = prepared.tokens[0]
        if len(word) < 4:
            return 0.0
        return max((fuzz.ratio(word, t) for t in text.tokens if len(t) >= 3), default=0.0)
    phrase = " ".join(prepared.tokens)
    joined = " ".join(text.tokens)
    if len(joined) < len(phrase):
        return fuzz.ratio(phrase, joined)
    return max(fuzz.partial_ratio(phrase, joined), fuzz.token_set_ratio(phrase, joined))


def _fuzzy_score(ratio: float, kind: str) -> float:
    span = (ratio - FUZZY_THRESHOLD) / (100 - FUZZY_THRESHOLD)
    bonus = FUZZY_PHRASE_BONUS if kind == "phrase" else 0.0
    return round(FUZZY_MIN + (FUZZY_MAX - FUZZY_MIN) * span + bonus, 4)


def _fuzzy_match(intent: Intent, text: _Text, lang: str, default_lang: str) -> Match | None:
    best: Match | None = None
    wanted = {base_language(lang), base_language(default_lang)}
    for kind, mapping in (("phrase", intent.phrases), ("keyword", intent.keywords)):
        for code, entries in mapping.items():
            if base_language(code) not in wanted:
                continue
            for entry in entries:
                ratio = fuzzy_ratio(entry, text)
                if ratio < FUZZY_THRESHOLD:
                    continue
                score = _fuzzy_score(ratio, kind)
                if best is None or score > best.score:
                    reason = f"fuzzy {round(ratio)} on {kind} '{entry}'"
                    best = Match(intent.name, score, reason, "fuzzy")
    return best


def _synonym_map(intent: Intent, extra: Mapping[str, Mapping[str, str]], lang: str) -> dict:
    merged: dict[str, str] = {}
    for source in (extra, intent.synonyms):
        for code, mapping in source.items():
            if code == ANY_LANGUAGE or base_language(code) == base_language(lang):
                merged.update(mapping)
    return merged


def match_intent(
    intent: Intent,
    text: str,
    lang: str,
    *,
    default_lang: str = "en",
    synonyms: Mapping[str, Mapping[str, str]] | None = None,
) -> Match | None:
    """Best match of one intent against the text, or None."""
    mapping = _synonym_map(intent, synonyms or {}, lang)
    prepared = prepare_text(apply_synonyms(normalize(text, lang), mapping), lang)
    prepared = _Text(text, prepared.norm, prepared.tokens, prepared.compact)
    regex = _regex_match(intent, prepared, lang)
    found = (
        _phrase_match(intent, prepared, lang)
        or regex
        or _keyword_match(intent, prepared, lang)
        or _fuzzy_match(intent, prepared, lang, default_lang)
    )
    if found and regex and regex.entities and not found.entities:
        # Values the intent's regexes capture (an order number) fill slots whatever matched.
        return replace(found, entities=regex.entities)
    return found


def match(
    intents: Iterable[Intent],
    text: str,
    lang: str,
    *,
    default_lang: str = "en",
    synonyms: Mapping[str, Mapping[str, str]] | None = None,
) -> list[Match]:
    """Ranked candidates (best first); ties keep the intents' definition order."""
    found = [
        m
        for intent in intents
        if (m := match_intent(intent, text, lang, default_lang=default_lang, synonyms=synonyms))
    ]
    return sorted(found, key=lambda m: -m.score)


def is_ambiguous(matches: list[Match], margin: float = AMBIGUOUS_MARGIN) -> bool:
    """True when the runner-up is within `margin` of the winner (ask "did you mean").

    Two exact phrase matches are not ambiguous to the matcher's author: the first wins.
    """
    if len(matches) < 2:
        return False
    return matches[0].score - matches[1].score < margin and matches[0].score < PHRASE_EXACT


def detect_handoff(
    text: str, lang: str = "", extra: Mapping[str, Iterable[str]] | None = None
) -> str | None:
    """The human-request phrase found in the text (any language), or None."""
    prepared = prepare_text(text, lang)
    for source in (HANDOFF_PHRASES, extra or {}):
        for phrases in source.values():
            for phrase in phrases:
                if contains(phrase, prepared):
                    return phrase
    return None
