"""Search-result snippets: up to two fragments around the matched words, matches in <mark>.

The text is analysed once with the reader's language analyzer (so `returns` marks `Return`,
and a Chinese bigram marks its two characters), then the fragments with the most distinct
matched words are kept, in reading order. Everything but the <mark> tags is escaped.
"""

from __future__ import annotations

import html

from helpdesk.search_analyzers import analyze, analyzer_for

SOURCE_CHARS = 1500  # the start of an article suffices
REGION_CHARS = 480  # analysed around the first likely match (two fragments' worth)
LEAD_CHARS = 120  # context kept before it
PROBE_CHARS = 5  # a stem's first letters, looked up in the text before analysing it
SURROUND = 60  # context around a match inside a fragment
FRAGMENTS = 2


def snippet(body: str, text: str, lang: str, max_chars: int = 240) -> str:
    terms = set(analyze(text, lang))
    region = _region(body[:SOURCE_CHARS], terms)
    spans = _matches(region, terms, lang)
    if not spans:
        opening = region[:max_chars].rsplit(" ", 1)[0] if len(region) > max_chars else region
        return html.escape(opening + ("…" if len(region) > max_chars else ""))
    fragments = sorted(_fragments(region, spans, max_chars), key=lambda f: (-f[3], f[0]))
    chosen = sorted(fragments[:FRAGMENTS], key=lambda f: f[0])
    marked = " … ".join(_marked(region, start, end, inside) for start, end, inside, _ in chosen)
    before = "…" if chosen[0][0] > 0 else ""
    after = "…" if chosen[-1][1] < len(region) else ""
    return before + marked + after


def _region(body: str, terms: set[str]) -> str:
    """The part of the text where the first match probably is, so that less is analysed.

    A stem's first letters ("deliv" of "deliveri") are looked for in the case-folded text;
    when no term is found so (Arabic diacritics, say) the whole opening is analysed.
    """
    folded = body.casefold()
    found = [p for p in (folded.find(t[:PROBE_CHARS]) for t in terms if len(t) > 1) if p >= 0]
    if not found or len(folded) != len(body):
        return body
    start = max(0, min(found) - LEAD_CHARS)
    if start:
        space = body.find(" ", start)
        start = space + 1 if 0 <= space < min(found) else start
    return body[start : start + REGION_CHARS]


def _matches(text: str, terms: set[str], lang: str) -> list[tuple[int, int, str]]:
    spans = []
    for token in analyzer_for(lang)(text, chars=True, mode="query", removestops=False):
        if not token.stopped and token.text in terms:
            spans.append((token.startchar, token.endchar, token.text))
    return spans


def _fragments(text: str, spans, max_chars: int):
    """(start, end, spans inside, distinct words) windows of at most max_chars, greedily."""
    fragments, i = [], 0
    while i < len(spans):
        start = max(0, spans[i][0] - SURROUND)
        inside = [spans[i]]
        i += 1
        while i < len(spans) and spans[i][1] - start <= max_chars:
            inside.append(spans[i])
            i += 1
        end = min(len(text), inside[-1][1] + SURROUND, start + max_chars)
        start, end = _word_edges(text, start, end, inside)
        fragments.append((start, end, inside, len({word for _, _, word in inside})))
    return fragments


def _word_edges(text: str, start: int, end: int, inside) -> tuple[int, int]:
    """Move the edges to whitespace so that no word is cut (never past a match)."""
    if start > 0:
        space = text.find(" ", start, inside[0][0])
        start = space + 1 if space >= 0 else start
    if end < len(text):
        space = text.rfind(" ", inside[-1][1], end)
        end = space if space >= 0 else end
    return start, end


def _marked(text: str, start: int, end: int, inside) -> str:
    parts, position = [], start
    for begin, finish, _ in inside:
        parts.append(html.escape(text[position:begin]))
        parts.append(f'<mark class="match">{html.escape(text[begin:finish])}</mark>')
        position = finish
    parts.append(html.escape(text[position:end]))
    return "".join(parts).strip()
