"""The flat-loop scorer finds the same documents with the same scores as Whoosh's matchers."""

import random

import pytest
from whoosh import query as wq
from whoosh.fields import ID, TEXT, Schema
from whoosh.filedb.filestore import RamStorage

from helpdesk import search_scoring

WORDS = ["refund", "parcel", "courier", "invoice", "password"]
WORDS += ["kettle", "warranty", "return", "order", "account"]


@pytest.fixture(scope="module")
def searcher():
    rng = random.Random(3)
    schema = Schema(
        id=ID(stored=True, unique=True),
        body=TEXT(phrase=False, field_boost=1.0),
        title=TEXT(phrase=False, field_boost=3.0),
        audience=ID,
    )
    index = RamStorage().create_index(schema)
    for segment in range(3):  # several segments, and deletions in an older one
        writer = index.writer()
        for n in range(80):
            writer.add_document(
                id=f"{segment}-{n}",
                body=" ".join(rng.choices(WORDS, k=rng.randint(3, 60))),
                title=" ".join(rng.sample(WORDS, 2)),
                audience="internal" if n % 9 == 0 else "public",
            )
        writer.commit(merge=False)
    writer = index.writer()
    for n in range(0, 80, 7):
        writer.delete_by_term("id", f"0-{n}")
    writer.commit(merge=False)
    with index.searcher() as opened:
        assert len(opened.leaf_searchers()) >= 3
        yield opened


def _queries():
    t = lambda field, word: wq.Term(field, word)  # noqa: E731
    yield wq.And([t("body", "refund"), t("body", "parcel")])
    yield wq.And([wq.Not(t("audience", "internal")), t("body", "kettle"), t("body", "order")])
    yield wq.Or([t("body", "invoice"), t("body", "password"), t("title", "invoice")])
    yield wq.AndMaybe(wq.And([t("body", "return"), t("body", "account")]), t("title", "return"))
    yield wq.AndNot(wq.Or([t("body", "courier"), t("body", "warranty")]), t("audience", "internal"))
    yield wq.And([t("body", "refund"), t("body", "nonexistent")])
    yield wq.And([t("body", "refund"), wq.Or([t("body", "parcel"), t("title", "kettle")])])


@pytest.mark.parametrize("query", list(_queries()), ids=repr)
def test_same_documents_and_scores_as_whoosh(searcher, query):
    expected = {hit.docnum: hit.score for hit in searcher.search(query, limit=None)}
    found = search_scoring._evaluate(searcher, query)
    assert found.keys() == expected.keys()
    for doc, score in expected.items():
        assert found[doc] == pytest.approx(score, rel=1e-5)


def test_top_hits_are_the_best_scores_in_order(searcher):
    query = wq.And([wq.Term("body", "order"), wq.Term("body", "refund")])
    best, count = search_scoring.top_hits(searcher, query, 5)
    everything = sorted(((h.score, h.docnum) for h in searcher.search(query, limit=None)),
                        key=lambda pair: (-pair[0], pair[1]))  # fmt: skip
    assert count == len(everything)
    assert [round(score, 6) for score, _ in best] == [round(s, 6) for s, _ in everything[:5]]


def test_queries_it_cannot_evaluate_are_left_to_whoosh(searcher):
    assert search_scoring.top_hits(searcher, wq.Prefix("body", "ref"), 5) is None
    one_word = wq.And([wq.Not(wq.Term("audience", "internal")), wq.Term("body", "refund")])
    assert search_scoring.top_hits(searcher, one_word, 5) is None  # Whoosh skips blocks there
    fuzzy = wq.And([wq.Term("body", "refund"), wq.FuzzyTerm("body", "parcl")])
    assert search_scoring.top_hits(searcher, fuzzy, 5) is None
