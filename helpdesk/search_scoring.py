"""Top hits of a bag-of-words query in flat loops over posting lists, scored as Whoosh scores.

Whoosh answers `a AND b` through a tree of matcher objects: every candidate document costs a
dozen method calls (is_active, skip_to, block checks, the collector), which made a two-word
search over 10,000 articles take 40+ ms. The queries the help center sends are simple: terms
combined with AND, OR, ANDMAYBE and ANDNOT. Here each term's postings are read once into a dict
{document: score} with Whoosh's own scorer (BM25F), and the tree is evaluated with dict
operations, which gives the same documents and scores. Anything else (prefix, fuzzy, phrase,
sorting) returns None and the caller asks Whoosh.

Scores add up as in Whoosh's matchers: AND and OR sum the scores of the parts that match,
ANDMAYBE adds the optional part's score where it matches, ANDNOT keeps the left scores.
"""

from __future__ import annotations

import heapq

from whoosh import query as wq
from whoosh.codec.whoosh3 import LENGTHS_COLUMN
from whoosh.matching.wrappers import FilterMatcher
from whoosh.reading import TermNotFound
from whoosh.scoring import BM25F
from whoosh.util.numeric import byte_to_length

Scores = dict[int, float]
# An AND part this many times larger than the candidates is probed, not read whole.
PROBE_RATIO = 8


class Unsupported(Exception):
    """The query has a part this module does not evaluate; let Whoosh run it."""


def top_hits(searcher, query, limit: int) -> tuple[list[tuple[float, int]], int] | None:
    """[(score, docnum)] best first, at most `limit`, and the number of matches; or None.

    One scored word is left to Whoosh: its block-quality skipping scores fewer postings.
    """
    if len(_positive_terms(query)) < 2:
        return None
    try:
        scores = _evaluate(searcher, query)
    except Unsupported:
        return None
    best = heapq.nlargest(limit, ((score, -doc) for doc, score in scores.items()))
    return [(score, -negdoc) for score, negdoc in best], len(scores)


def _positive_terms(query) -> set[tuple[str, str]]:
    """The terms that add to the score (not the ones after NOT)."""
    if isinstance(query, wq.Term):
        return {(query.fieldname, query.text)}
    if isinstance(query, wq.Not):
        return set()
    if isinstance(query, wq.AndNot):
        return _positive_terms(query.a)
    if isinstance(query, wq.CompoundQuery):
        return set().union(*(_positive_terms(child) for child in query.subqueries))
    return set()


def _evaluate(searcher, query) -> Scores:
    if isinstance(query, wq.Term):
        return _term(searcher, query)
    if isinstance(query, wq.And):
        return _boosted(_and(searcher, query.subqueries), query.boost)
    if isinstance(query, wq.Or) and not getattr(query, "minmatch", 0) and query.scale is None:
        result: Scores = {}
        for child in query.subqueries:
            for doc, score in _evaluate(searcher, child).items():
                result[doc] = result.get(doc, 0.0) + score
        return _boosted(result, query.boost)
    if isinstance(query, wq.AndMaybe):
        required = _evaluate(searcher, query.a)
        optional = _within(searcher, query.b, required)
        for doc, score in optional.items():
            required[doc] += score
        return _boosted(required, query.boost)
    if isinstance(query, wq.AndNot):
        kept = _evaluate(searcher, query.a)
        for doc in _within(searcher, query.b, kept):
            del kept[doc]
        return kept
    if query is wq.NullQuery:
        return {}
    raise Unsupported(type(query).__name__)


def _boosted(scores: Scores, boost: float) -> Scores:
    if boost != 1.0:
        for doc in scores:
            scores[doc] *= boost
    return scores


def _term(searcher, term: wq.Term, only: Scores | None = None) -> Scores:
    """The term's postings with their BM25F scores; with `only`, just those documents."""
    scores: Scores = {}
    fieldname, text = term.fieldname, term.text
    if fieldname not in searcher.schema.names() or (fieldname, text) not in searcher.reader():
        return scores  # (as Whoosh: an unknown term matches nothing and is never scored)
    if not searcher.schema[fieldname].scorable:  # Whoosh scores these by their weight
        for sub, offset in searcher.leaf_searchers():
            for ids, weights in _posting_blocks(sub.ixreader, fieldname, text):
                for doc, weight in zip(ids, weights, strict=True):
                    if only is None or doc + offset in only:
                        scores[doc + offset] = weight * term.boost
        return scores
    weighting = searcher.weighting
    if not isinstance(weighting, BM25F):
        raise Unsupported(type(weighting).__name__)
    b = weighting._field_B.get(fieldname, weighting.B)
    k1 = weighting.K1
    idf = searcher.idf(fieldname, text) * term.boost
    avgfl = searcher.avg_field_length(fieldname) or 1
    # bm25(tf, fl) = idf * tf * (k1 + 1) / (tf + k1 * (1 - b) + k1 * b * fl / avgfl)
    #              = top * tf / (tf + norm[doc]), with norm[] computed once per segment.
    top = idf * (k1 + 1)
    for sub, offset in searcher.leaf_searchers():
        norm = _norms(sub.ixreader, fieldname, k1 * (1 - b), k1 * b / avgfl)
        for ids, weights in _posting_blocks(sub.ixreader, fieldname, text):
            pairs = zip(ids, weights, strict=True)
            if only is not None:
                pairs = [(doc, tf) for doc, tf in pairs if doc + offset in only]
            if offset:
                scores.update((doc + offset, top * tf / (tf + norm[doc])) for doc, tf in pairs)
            else:  # one segment (the usual case): a list comprehension is the fastest loop
                pairs = list(pairs)
                docs = [doc for doc, _tf in pairs]
                values = [top * tf / (tf + norm[doc]) for doc, tf in pairs]
                scores.update(zip(docs, values, strict=True))
    return scores


def _norms(reader, fieldname: str, base: float, per_length: float) -> list[float]:
    """base + per_length * length for every document of the segment (cached on the reader,
    which never changes; the key changes when the average length does)."""
    cache = reader.__dict__.setdefault("_helpdesk_norms", {})
    key = (fieldname, base, per_length)
    if key not in cache:
        if len(cache) > 8:
            cache.clear()
        cache[key] = [base + per_length * length for length in _lengths(reader, fieldname)]
    return cache[key]


def _posting_blocks(reader, fieldname: str, text: str):
    """(documents, weights) of the live postings, block by block (Whoosh 2.7's W3 codec)."""
    try:
        matcher = reader.postings(fieldname, text)
    except TermNotFound:
        return
    deleted = frozenset()
    if isinstance(matcher, FilterMatcher):
        deleted, matcher = matcher._ids, matcher.child
    if not hasattr(matcher, "_read_ids"):
        raise Unsupported(type(matcher).__name__)
    while matcher.is_active():
        matcher._read_ids()
        matcher._read_weights()
        ids, weights = matcher._ids, matcher._weights
        if deleted:
            live = [i for i, doc in enumerate(ids) if doc not in deleted]
            ids, weights = [ids[i] for i in live], [weights[i] for i in live]
        yield ids, weights
        matcher._next_block()


_LENGTH_OF_BYTE = [byte_to_length(b) for b in range(256)]


def _lengths(reader, fieldname: str) -> list[int]:
    """Every document's length in the field (cached on the segment reader, which never changes)."""
    cache = reader.__dict__.setdefault("_helpdesk_lengths", {})
    if fieldname not in cache:
        table = _LENGTH_OF_BYTE
        count = reader.doc_count_all()
        column = reader._perdoc._cached_reader(f"_{fieldname}_len", LENGTHS_COLUMN)
        cache[fieldname] = [table[column[n]] for n in range(count)] if column else [0] * count
    return cache[fieldname]


def _size(searcher, query) -> float:
    """How many documents a part may match (a term's document frequency; others unknown)."""
    if isinstance(query, wq.Term) and query.fieldname in searcher.schema:
        return searcher.doc_frequency(query.fieldname, query.text)
    return float("inf")


def _within(searcher, query, candidates: Scores) -> Scores:
    """`query`'s scores for the candidate documents only (probing a big term's postings)."""
    if isinstance(query, wq.Term) and _size(searcher, query) > PROBE_RATIO * len(candidates):
        return _term(searcher, query, only=candidates)
    scores = _evaluate(searcher, query)
    return {doc: score for doc, score in scores.items() if doc in candidates}


def _and(searcher, parts) -> Scores:
    """Sum of the parts' scores where all match; `NOT x` parts remove documents (no score)."""
    excluded = [part for part in parts if isinstance(part, wq.Not)]
    required = sorted(
        (part for part in parts if not isinstance(part, wq.Not)),
        key=lambda part: _size(searcher, part),
    )
    if not required:
        raise Unsupported("AND of negations only")
    result = _evaluate(searcher, required[0])
    for part in required[1:]:
        if not result:
            return result
        scores = _within(searcher, part, result)
        result = {doc: score + scores[doc] for doc, score in result.items() if doc in scores}
    for part in excluded:
        for doc in _within(searcher, part.query, result):
            del result[doc]
    if excluded:  # Whoosh's NOT matcher scores each document it lets through by its boost
        constant = sum(part.boost for part in excluded)
        result = {doc: score + constant for doc, score in result.items()}
    return result
