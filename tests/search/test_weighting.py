"""Title, labels and section weigh more than the body, folded into one field per language."""

import pytest
from django.core.management import call_command
from whoosh import query as wq

from helpdesk import search_backend
from helpdesk.search_analyzers import PART_SEPARATOR, WeightedPartsAnalyzer, analyzer_for
from kb import search
from tests.kb.factories import make_article
from tests.search.conftest import index_now


def _weights(value: str) -> dict[str, float]:
    analyzer = WeightedPartsAnalyzer(analyzer_for("en"), (3.0, 2.8, 1.5, 1.0))
    weights: dict[str, float] = {}
    for token in analyzer(value, mode="index", boosts=True):
        weights[token.text] = weights.get(token.text, 0.0) + token.boost
    return weights


def test_each_part_weighs_its_boost_and_words_in_several_parts_add_up():
    value = PART_SEPARATOR.join(["Refund policy", "courier", "Parcel", "Refund rules"])
    weights = _weights(value)
    assert weights["refund"] == pytest.approx(4.0)  # title 3 + body 1
    assert weights["courier"] == pytest.approx(2.8)
    assert weights["parcel"] == pytest.approx(1.5)
    assert weights["rule"] == pytest.approx(1.0)


def test_a_query_without_separators_is_analysed_as_usual():
    assert _weights("refunds") == {"refund": 1.0}


def test_the_same_words_in_weight_fields_collapse_into_the_body_field():
    parsed = wq.Or([wq.Term("title_en", "refund"), wq.Term("labels_en", "refund"),
                    wq.Term("section_en", "refund"), wq.Term("body_en", "refund")])  # fmt: skip
    assert search_backend.weight_only_fields(parsed) == wq.Term("body_en", "refund")


def test_a_title_prefix_stays_an_alternative_to_the_body_words():
    parsed = wq.Or([wq.Prefix("title_en", "ref"), wq.Term("body_en", "ref")])
    # Suggestions: a title starting with the unfinished word matches even if no body word does.
    assert search_backend.weight_only_fields(parsed) == parsed


@pytest.mark.django_db
def test_a_title_match_outranks_a_longer_body_with_the_word(search_index):
    in_body = make_article(
        title="Opening hours", body="We answer mail about the warranty of a kettle. " * 3
    )
    in_title = make_article(title="Kettle warranty", body="Two years for every appliance.")
    index_now(in_body, in_title)
    hits = search.search(raw_query="kettle warranty", language="en", audience="public").hits
    assert [h.article_id for h in hits][:2] == [in_title.pk, in_body.pk]


@pytest.mark.django_db
def test_bulk_rebuild_in_several_processes_finds_every_article(search_index, monkeypatch):
    monkeypatch.setattr(search_backend, "BULK_BATCH", 2)  # every batch takes the bulk path
    monkeypatch.setattr(search_backend, "_bulk_processes", lambda: 2)
    articles = [make_article(title=f"Canoe model {n}", body=f"Paddle size {n}.") for n in "abcd"]
    call_command("rebuild_index", "--noinput", verbosity=0)
    hits = search.search(raw_query="canoe paddle", language="en", audience="public").hits
    assert {h.article_id for h in hits} == {a.pk for a in articles}


def test_the_body_parts_take_their_boosts_from_the_index_fields():
    from haystack import connections

    fields = connections["default"].get_unified_index().all_searchfields()
    boosts = search_backend._part_boosts(fields, "body_fi")
    assert boosts == (
        fields["title_fi"].boost,
        fields["labels_fi"].boost,
        fields["section_fi"].boost,
        1.0,
    )
    assert boosts == (3.0, 2.8, 1.5, 1.0)
