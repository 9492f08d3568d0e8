"""Search indexes of the knowledge base: published articles and FAQs, one document per language.

Every language has its own fields, each analysed by that language's analyzer (stemming for
English and Finnish, folding and light stemming for Arabic, bigrams for Chinese). A document
fills the fields of its own language only. Weights follow Zendesk Guide's published ranking:
title 3, labels 2.8, section 1.5, body 1.
"""

from __future__ import annotations

from haystack import indexes
from whoosh.analysis import IDTokenizer, LowercaseFilter

from helpdesk.markdown import plain_text
from helpdesk.search_analyzers import analyzer_for
from helpdesk.textnorm import base_language

from .models import Article, Faq, Visibility

INDEX_LANGUAGES = ("en", "fi", "ar", "zh")
KEYWORD = IDTokenizer() | LowercaseFilter()  # the whole value is one token
MAX_BODY_CHARS = 20_000  # long articles: the first 20k characters decide (Zendesk uses 10k)
SPELLING_BODY_CHARS = 400


def index_language(code: str | None) -> str:
    """The field suffix for a UI language: 'zh-hans' -> 'zh'; unknown -> 'en'."""
    lang = base_language(code)
    return lang if lang in INDEX_LANGUAGES else "en"


def _language_fields(boost: float, stored: bool = False) -> dict[str, indexes.CharField]:
    return {
        lang: indexes.CharField(boost=boost, analyzer=analyzer_for(lang), stored=stored, null=True)
        for lang in INDEX_LANGUAGES
    }


class _PerLanguageIndex(indexes.SearchIndex):
    """Shared fields; subclasses say what goes into title, section and body."""

    text = indexes.CharField(document=True, analyzer=analyzer_for(None), stored=False)
    language = indexes.CharField(analyzer=KEYWORD)
    audience = indexes.CharField(analyzer=KEYWORD)
    category = indexes.CharField(analyzer=KEYWORD, null=True)
    group_id = indexes.IntegerField()
    updated = indexes.DateTimeField(model_attr="updated_at")

    def get_updated_field(self) -> str:
        return "updated_at"

    def _fill(
        self, data: dict, obj, *, title: str, section: str, body: str, labels: str = ""
    ) -> dict:
        lang = index_language(obj.language)
        # Only this language's fields are filled, so a query on them needs no language filter.
        # The body field holds everything, so a query whose words are spread over title and
        # body still matches there; the other fields only add their weight.
        everything = " ".join(filter(None, (title, labels, section, body)))
        pairs = (("title", title), ("labels", labels), ("section", section), ("body", everything))
        for prefix, value in pairs:
            for code in INDEX_LANGUAGES:
                data[f"{prefix}_{code}"] = value if code == lang else None
        data["language"] = lang
        # The catch-all field is only the word list of "did you mean": the words of the title,
        # labels, section and the opening of the body (the topic's words) are enough, at a
        # fraction of the cost of indexing every word twice.
        opening = body[:SPELLING_BODY_CHARS].rsplit(" ", 1)[0]
        data["text"] = " ".join(filter(None, (title, labels, section, opening)))
        return data


def _add_language_fields(cls):
    for prefix, boost in (("title", 3.0), ("labels", 2.8), ("section", 1.5), ("body", 1.0)):
        for lang, field in _language_fields(boost).items():
            name = f"{prefix}_{lang}"
            field.set_instance_name(name)
            cls.fields[name] = field
    return cls


class ArticleIndex(_PerLanguageIndex, indexes.Indexable):
    def get_model(self):
        return Article

    def index_queryset(self, using=None):
        return (
            Article.objects.published()
            .select_related("live_revision", "section__category")
            .prefetch_related("section__translations")
        )

    def prepare(self, obj: Article) -> dict:
        data = super().prepare(obj)
        live = obj.live_revision
        section_names = {t.language: t.name for t in obj.section.translations.all()}
        body = plain_text(live.body_html)[:MAX_BODY_CHARS]
        data["audience"] = "public" if obj.visibility == Visibility.PUBLIC else "internal"
        data["category"] = obj.section.category.slug
        data["group_id"] = obj.group_id
        return self._fill(
            data, obj, title=live.title, labels=" ".join(live.labels),
            section=section_names.get(obj.language, ""), body=f"{live.summary}\n{body}",
        )  # fmt: skip


class FaqIndex(_PerLanguageIndex, indexes.Indexable):
    def get_model(self):
        return Faq

    def index_queryset(self, using=None):
        return Faq.objects.published().select_related("category")

    def prepare(self, obj: Faq) -> dict:
        data = super().prepare(obj)
        data["audience"] = "public"
        data["category"] = obj.category.slug
        data["group_id"] = obj.group_id
        return self._fill(
            data, obj, title=obj.question, section="", body=plain_text(obj.answer_html)
        )


_add_language_fields(ArticleIndex)
_add_language_fields(FaqIndex)
