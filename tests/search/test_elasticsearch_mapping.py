"""The Elasticsearch path analyses each language like the Whoosh one (mapping checked offline)."""

import pytest
from haystack import connections

pytest.importorskip("elasticsearch", reason="the Elasticsearch 7 client is in requirements-dev")


def test_each_language_field_gets_its_language_analyzer():
    from helpdesk.search_es import HelpdeskElasticsearchBackend

    backend = HelpdeskElasticsearchBackend("default", URL="http://127.0.0.1:1/", INDEX_NAME="t")
    fields = connections["default"].get_unified_index().all_searchfields()
    content_field, mapping = backend.build_schema(fields)
    assert content_field == "text"
    assert mapping["body_en"]["analyzer"] == "english"
    assert mapping["body_fi"]["analyzer"] == "finnish"
    assert mapping["title_ar"]["analyzer"] == "helpdesk_ar"
    assert mapping["title_zh"]["analyzer"] == "helpdesk_zh"
    assert mapping["text"]["analyzer"] == "helpdesk_neutral"
    assert mapping["audience"] == {"type": "keyword"} and mapping["language"] == {"type": "keyword"}
    assert mapping["title_en"]["boost"] == 3.0
    analysis = backend.DEFAULT_SETTINGS["settings"]["analysis"]
    assert "arabic_normalization" in analysis["analyzer"]["helpdesk_ar"]["filter"]
    assert "cjk_bigram" in analysis["analyzer"]["helpdesk_zh"]["filter"]
