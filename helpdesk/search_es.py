"""The Elasticsearch 7 equivalent of our Whoosh analysis, for the scale-out path (SEARCH_URL).

Fields are named `<name>_<lang>`; each language gets Elasticsearch's own analysis:
- en: the `english` analyzer (Porter stemming, English stop words);
- fi: the `finnish` analyzer (Snowball Finnish, like our Whoosh analyzer);
- ar: `arabic_normalization` (alef/yeh/teh-marbuta, diacritics, tatweel) + the light `arabic`
  stemmer;
- zh: the `cjk_bigram` filter over the standard tokenizer: overlapping bigrams, as ours;
- the language-neutral `text` field: standard tokenizer, lowercase, cjk_bigram.
Keyword-analysed fields (language, audience, category) become `keyword` fields. Written against
haystack's Elasticsearch 7 backend; the mapping is tested without a server.
"""

from __future__ import annotations

from haystack.backends.elasticsearch7_backend import (
    Elasticsearch7SearchBackend,
    Elasticsearch7SearchEngine,
    Elasticsearch7SearchQuery,
)
from whoosh.analysis import IDTokenizer

ANALYSIS = {
    "analyzer": {
        "helpdesk_neutral": {
            "tokenizer": "standard",
            "filter": ["lowercase", "cjk_width", "cjk_bigram"],
        },
        "helpdesk_ar": {
            "tokenizer": "standard",
            "filter": ["lowercase", "decimal_digit", "arabic_normalization", "helpdesk_ar_stem"],
        },
        "helpdesk_zh": {
            "tokenizer": "standard",
            "filter": ["cjk_width", "lowercase", "cjk_bigram"],
        },
    },
    "filter": {"helpdesk_ar_stem": {"type": "stemmer", "language": "arabic"}},
}
LANGUAGE_ANALYZERS = {"en": "english", "fi": "finnish", "ar": "helpdesk_ar", "zh": "helpdesk_zh"}


class HelpdeskElasticsearchBackend(Elasticsearch7SearchBackend):
    DEFAULT_SETTINGS = {
        "settings": {
            **Elasticsearch7SearchBackend.DEFAULT_SETTINGS["settings"],
            "analysis": {
                "analyzer": {
                    **Elasticsearch7SearchBackend.DEFAULT_SETTINGS["settings"]["analysis"][
                        "analyzer"
                    ],
                    **ANALYSIS["analyzer"],
                },
                "filter": {
                    **Elasticsearch7SearchBackend.DEFAULT_SETTINGS["settings"]["analysis"][
                        "filter"
                    ],
                    **ANALYSIS["filter"],
                },
            },
        }
    }

    def build_schema(self, fields):
        content_field_name, mapping = super().build_schema(fields)
        for field in fields.values():
            name = field.index_fieldname
            if mapping[name].get("type") != "text":
                continue
            if _is_keyword(field.analyzer):
                mapping[name] = {"type": "keyword"}
                continue
            suffix = name.rsplit("_", 1)[-1]
            mapping[name]["analyzer"] = LANGUAGE_ANALYZERS.get(suffix, "helpdesk_neutral")
        return content_field_name, mapping


def _is_keyword(analyzer) -> bool:
    """Whoosh's KeywordAnalyzer is an IDTokenizer chain: the whole value is one token."""
    items = getattr(analyzer, "items", [analyzer])
    return bool(items) and isinstance(items[0], IDTokenizer)


class HelpdeskElasticsearchEngine(Elasticsearch7SearchEngine):
    backend = HelpdeskElasticsearchBackend
    query = Elasticsearch7SearchQuery
