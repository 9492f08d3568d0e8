"""Language-aware Whoosh analyzers: normalisation, CJK bigrams, stemming, original offsets."""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable, Iterator

from whoosh.analysis import Analyzer, CompositeAnalyzer, Filter, Token, Tokenizer

from helpdesk.textnorm import CJK_RUN, base_language, normalize

# Whoosh pickles analyzers into the index schema, so every class below is referenced by its
# module path: renaming or moving one makes existing indexes unreadable (rebuild_index).

NEUTRAL = "neutral"
# Languages with a Snowball stemmer in Whoosh 2.7.4 (whoosh.lang.snowball.classes).
_SNOWBALL = frozenset(
    {"da", "de", "en", "es", "fi", "fr", "hu", "it", "nl", "no", "pt", "ro", "ru", "sv"}
)
_CJK_LANGUAGES = frozenset({"ja", "ko", "zh"})
_ALIASES = {"nb": "no", "nn": "no"}
SUPPORTED_LANGUAGES: tuple[str, ...] = tuple(sorted(_SNOWBALL | _CJK_LANGUAGES | {"ar"}))

# Longer "words" are base64 blobs, hashes or unspaced scripts we cannot segment: they only bloat
# the term dictionary (and make stemmers slow), so they are dropped.
MAX_TOKEN_CHARS = 255


def _combining_marks() -> str:
    """Regex class body for non-spacing/spacing combining marks (Mn, Mc).

    Python's \\w excludes marks, which would cut Arabic words at every haraka and Indic words at
    every vowel sign. Variation selectors are left out so emoji do not yield tokens.
    """
    ranges: list[tuple[int, int]] = []
    for cp in range(0x0300, 0x20000):
        if unicodedata.category(chr(cp)) in ("Mn", "Mc") and not 0xFE00 <= cp <= 0xFE0F:
            if ranges and ranges[-1][1] == cp - 1:
                ranges[-1] = (ranges[-1][0], cp)
            else:
                ranges.append((cp, cp))
    return "".join(f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in ranges)


_MARKS = _combining_marks()
# A run of the original text that may hold words: letters, digits, underscore and marks.
_RUN = re.compile(f"[\\w{_MARKS}]+")
# Characters that NFKC may fuse with the preceding one (marks, half-width kana sound marks).
_FUSING = re.compile(f"[{_MARKS}\uff9e\uff9f]")
# A base character plus the characters that fuse with it: normalised as one unit.
_CLUSTER = re.compile(f".[{_MARKS}\uff9e\uff9f]*", re.DOTALL)
_ALNUM = re.compile(r"[^\W_]")

# Small on purpose: only words that carry no meaning in a support query. Negations ("not",
# "no"), particles that change a verb ("on", "off", "up") and "it" (as in IT) stay searchable.
_STOP_WORD_TEXT = {
    "en": "a an and are as at be been by do does for from how i in into is me my of or our the "
    "their there these they this those to was we were what when where which who why with you your",
    "fi": "ja sekä että on ovat",
    # Already folded by textnorm: على -> علي, إلى -> الي, أن/إن -> ان, أو -> او.
    "ar": "في من علي الي عن ان او هذا هذه التي الذي",
}
_STOP_WORDS = {lang: frozenset(words.split()) for lang, words in _STOP_WORD_TEXT.items()}

# Arabic light stemming in the style of Larkey's Light10, on textnorm-folded text
# (teh marbuta is already heh, alef maksura already yeh).
_AR_ARTICLES = ("وال", "بال", "كال", "فال", "لل", "ال")
_AR_SUFFIXES = ("ها", "ان", "ات", "ون", "ين", "يه", "ه", "ي")
_AR_MIN_STEM = 2


def light_stem_arabic(word: str) -> str:
    """Strip the conjunction و, one article-like prefix and common suffixes, keeping >= 2 letters.

    Whoosh's ISRI stemmer is not used: it crashes on Python >= 3.7 and, being a root extractor,
    conflates unrelated words (كتاب, مكتب, كاتب) that support search must keep apart.
    """
    if len(word) >= 4 and word[0] == "و":
        word = word[1:]
    for prefix in _AR_ARTICLES:
        if word.startswith(prefix) and len(word) - len(prefix) >= _AR_MIN_STEM:
            word = word[len(prefix) :]
            break
    for suffix in _AR_SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= _AR_MIN_STEM:
            word = word[: -len(suffix)]
    return word


def _finnish_stem_function() -> Callable[[str], str]:
    """Snowball Finnish, plus folding the -uks/-yks stem of -us/-ys nouns back to -us/-ys.

    Snowball stems tilaus -> tilaus but tilauksen -> tilauks, so every inflected form of the very
    common -us/-ys nouns (tilaus, palautus, toimitus, kysymys) missed its base form.
    """
    from whoosh.lang.snowball.finnish import FinnishStemmer

    snowball = FinnishStemmer().stem

    def stem(word: str) -> str:
        stemmed = snowball(word)
        if stemmed.endswith(("uks", "yks")):
            return stemmed[:-2] + "s"
        return stemmed

    return stem


@functools.cache
def _stem_function(lang: str) -> Callable[[str], str]:
    """A cached stemmer for a canonical language code (an identity function when there is none)."""
    if lang == "ar":
        stem = light_stem_arabic
    elif lang == "fi":
        stem = _finnish_stem_function()
    elif lang in _SNOWBALL:
        from whoosh.lang.snowball import classes

        stem = classes[lang]().stem
    else:
        return str
    # Word frequencies are Zipfian: a bounded cache turns most stemming calls into a dict hit.
    return functools.lru_cache(maxsize=50_000)(stem)


def _normalize_run(run: str) -> tuple[str, list[int] | None, list[int] | None]:
    """Normalise a run; also return per-character original start/end offsets (None = identity).

    NFKC and casefold can change lengths (ﬁ -> fi, ß -> ss) and Arabic folding drops harakat, so
    when lengths differ each base character and its marks are normalised on their own and every
    normalised character remembers which original cluster produced it.
    """
    norm = normalize(run)
    if len(norm) == len(run) and _FUSING.search(run) is None:
        return norm, None, None
    parts: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    for cluster in _CLUSTER.finditer(run):
        piece = normalize(cluster.group())
        parts.append(piece)
        starts.extend([cluster.start()] * len(piece))
        ends.extend([cluster.end()] * len(piece))
    return "".join(parts), starts, ends


# A token candidate: text, original start, original end, verbatim (skip stemming), position delta.
_Piece = tuple[str, int, int, bool, int]


def _cjk_pieces(run: str, start: int, unigrams: bool) -> Iterator[_Piece]:
    """Overlapping bigrams of a CJK run; when indexing, also unigrams so one-character queries hit.

    A unigram shares the position of the bigram starting on it (the final character that of the
    last bigram), so phrase queries over bigrams still see consecutive positions.
    """
    n = len(run)
    if n == 1:
        yield run, start, start + 1, True, 0
        return
    last = n - 2
    for i in range(n - 1):
        if unigrams:
            yield run[i], start + i, start + i + 1, True, i
        yield run[i : i + 2], start + i, start + i + 2, True, i
    if unigrams:
        yield run[n - 1], start + n - 1, start + n, True, last


def _word_pieces(word: str, start: int, unigrams: bool) -> Iterator[_Piece]:
    """Split a normalised word into spaced-script words and CJK runs, with relative positions."""
    base = 0
    cursor = 0
    for match in CJK_RUN.finditer(word):
        if match.start() > cursor:
            yield word[cursor : match.start()], start + cursor, start + match.start(), False, base
            base += 1
        run = match.group()
        for piece in _cjk_pieces(run, start + match.start(), unigrams):
            yield piece[0], piece[1], piece[2], True, base + piece[4]
        base += max(len(run) - 1, 1)
        cursor = match.end()
    if cursor < len(word):
        yield word[cursor:], start + cursor, start + len(word), False, base


def _split_run(
    norm: str, starts: list[int] | None, ends: list[int] | None, unigrams: bool
) -> Iterator[_Piece]:
    """Tokens of a normalised run that needs splitting (CJK, NFKC punctuation, length changes)."""
    base = 0
    for word in _RUN.finditer(norm):
        if _ALNUM.search(word.group()) is None:
            continue
        last = -1
        for text, s, e, verbatim, rel in _word_pieces(word.group(), word.start(), unigrams):
            if len(text) > MAX_TOKEN_CHARS:
                continue
            if starts is not None and ends is not None:
                s, e = starts[s], ends[e - 1]
            last = max(last, rel)
            yield text, s, e, verbatim, base + rel
        base += last + 1


def _run_pieces(run: str, unigrams: bool) -> tuple[_Piece, ...]:
    """Tokens of one non-ASCII run, offsets relative to the run in the original text."""
    norm, starts, ends = _normalize_run(run)
    if starts is None and CJK_RUN.search(norm) is None and _RUN.fullmatch(norm) is not None:
        # One plain word (accented Latin, Cyrillic, undotted Arabic...): no splitting needed.
        too_long = len(norm) > MAX_TOKEN_CHARS or _ALNUM.search(norm) is None
        return () if too_long else ((norm, 0, len(run), False, 0),)
    return tuple(_split_run(norm, starts, ends, unigrams))


# Words recur (Zipf), so most non-ASCII words are normalised once per process. Long runs are
# mostly unspaced CJK sentences that never recur: caching them would only evict the words.
_CACHED_RUN_CHARS = 32
_cached_run_pieces = functools.lru_cache(maxsize=100_000)(_run_pieces)


class MultilingualTokenizer(Tokenizer):
    """Words for spaced scripts and CJK bigrams, normalised, with offsets into the original text.

    In "query" mode CJK runs give bigrams only (a lone character stays a unigram); otherwise
    unigrams are indexed too, so that a one-character query finds something.
    """

    def __call__(
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        tokenize: bool = True,
        mode: str = "",
        **kwargs: object,
    ) -> Iterator[Token]:
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        if not tokenize:
            # Prefix, wildcard and range terms: normalise but neither split nor stem.
            end = start_char + len(value)
            yield _fill(t, normalize(value), start_pos, start_char, end, True, value)
            return
        unigrams = mode != "query"
        pos = start_pos
        for match in _RUN.finditer(value):
            run = match.group()
            offset = start_char + match.start()
            if run.isascii():
                # The common case, kept free of the general machinery below.
                if len(run) <= MAX_TOKEN_CHARS and run.strip("_"):
                    yield _fill(t, run.lower(), pos, offset, offset + len(run), False, run)
                    pos += 1
                continue
            short = len(run) <= _CACHED_RUN_CHARS
            pieces = _cached_run_pieces(run, unigrams) if short else _run_pieces(run, unigrams)
            for text, s, e, verbatim, rel in pieces:
                yield _fill(t, text, pos + rel, offset + s, offset + e, verbatim, run[s:e])
            if pieces:
                pos += pieces[-1][4] + 1


def _fill(
    t: Token,
    text: str,
    pos: int,
    startchar: int,
    endchar: int,
    verbatim: bool,
    original: str,
) -> Token:
    """Reset the shared Token (Whoosh reuses one object per stream) for the next token."""
    t.text = text
    t.original = original
    t.verbatim = verbatim
    t.stopped = False
    t.boost = 1.0
    if t.positions:
        t.pos = pos
    if t.chars:
        t.startchar = startchar
        t.endchar = endchar
    return t


class StopWordFilter(Filter):
    """Drop a language's stop words and close the position gaps so phrase queries still match."""

    def __init__(self, lang: str) -> None:
        self.lang = lang

    def __eq__(self, other: object) -> bool:
        return isinstance(other, StopWordFilter) and other.lang == self.lang

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        stops = _STOP_WORDS.get(self.lang, frozenset())
        removed = 0
        for t in tokens:
            if t.text in stops:
                if t.removestops:
                    removed += 1
                    continue
                # Highlighting asks to keep stop words, marked, so the text stays whole.
                t.stopped = True
            elif removed and t.positions:
                t.pos -= removed
            yield t


class LanguageStemFilter(Filter):
    """Stem spaced-script words with the language's stemmer; CJK grams and raw terms pass as is."""

    is_morph = True

    def __init__(self, lang: str) -> None:
        self.lang = lang

    def __eq__(self, other: object) -> bool:
        return isinstance(other, LanguageStemFilter) and other.lang == self.lang

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        stem = _stem_function(self.lang)
        for t in tokens:
            if not t.stopped and not getattr(t, "verbatim", False):
                t.text = stem(t.text)
            yield t


def canonical_language(lang: str | None) -> str:
    """Map a language code to its analyzer's key: 'zh-hans' -> 'zh', 'nb' -> 'no', else NEUTRAL."""
    code = base_language(lang)
    code = _ALIASES.get(code, code)
    return code if code in SUPPORTED_LANGUAGES else NEUTRAL


@functools.cache
def _build_analyzer(code: str) -> Analyzer:
    """Compose the analyzer for a canonical language code (see canonical_language)."""
    if code == NEUTRAL or code in _CJK_LANGUAGES:
        # CJK needs no stemming and no stop list: its terms are bigrams, which every analyzer
        # produces anyway; unknown languages get no language-specific treatment at all.
        return CompositeAnalyzer(MultilingualTokenizer())
    return MultilingualTokenizer() | StopWordFilter(code) | LanguageStemFilter(code)


def analyzer_for(lang: str | None) -> Analyzer:
    """The Whoosh analyzer for a language code such as 'en', 'fi', 'ar', 'zh-hans' or None."""
    return _build_analyzer(canonical_language(lang))


def analyze(text: str, lang: str | None = None, mode: str = "query") -> list[str]:
    """Token texts of ``text`` as the search index sees them.

    ``mode="query"`` (the default) gives what a search for ``text`` looks up; ``mode="index"``
    what indexing ``text`` stores (CJK unigrams too). Matching a user message against keywords,
    as the chatbot does, should analyze the message with "index" and keywords with "query".
    """
    return [t.text for t in analyzer_for(lang)(text or "", mode=mode) if not t.stopped]


# Separates the weighted parts of one field value (a private-use character no text contains).
PART_SEPARATOR = "\ue000"


class WeightedPartsAnalyzer(Analyzer):
    """Analyse "title␀labels␀section␀body" as one field, each part's words weighted by its boost.

    Whoosh sums token boosts into a term's weight, which BM25 uses as the term frequency; so a
    title word counts like three body words, as if the title were a separate field with boost 3
    (BM25F), while a query walks one posting list per word instead of one per field and word.
    A value without separators (a query) is analysed as it is, with boost 1.
    """

    def __init__(self, inner: Analyzer, boosts: tuple[float, ...]) -> None:
        self.inner = inner
        self.boosts = tuple(boosts)

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, WeightedPartsAnalyzer)
            and other.inner == self.inner
            and other.boosts == self.boosts
        )

    def has_morph(self) -> bool:
        return self.inner.has_morph()

    def __call__(self, value: str, **kwargs: object) -> Iterator[Token]:
        parts = value.split(PART_SEPARATOR)
        if len(parts) == 1:
            yield from self.inner(value, **kwargs)
            return
        for index, part in enumerate(parts):
            if not part:
                continue
            boost = self.boosts[index] if index < len(self.boosts) else 1.0
            for token in self.inner(part, **kwargs):
                token.boost = boost
                yield token
