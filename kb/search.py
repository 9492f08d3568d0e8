"""Help-center search: language-aware queries, fallback to the default language, fuzzy retry,
"did you mean", highlighted snippets, and a log of every search for the content-gap report."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from django.conf import settings
from haystack import connections
from haystack.inputs import AutoQuery, Raw
from haystack.query import SQ, SearchQuerySet

from helpdesk.events import buffer_event
from helpdesk.markdown import plain_text
from helpdesk.textnorm import is_cjk, normalize, split_words

from . import snippets
from .models import Article, Faq, Visibility
from .search_indexes import index_language

MAX_QUERY_CHARS = 200
MAX_QUERY_WORDS = 12
MAX_RESULTS = 100  # distinct articles a search can return; pages beyond are not offered
PER_PAGE = 10
SUGGEST_LIMIT = 5
_WHOOSH_SPECIAL = str.maketrans({c: " " for c in '+-&|!(){}[]^"~*?:\\/'})


@dataclass(frozen=True)
class CleanQuery:
    text: str  # what we search for, normalised
    shown: str  # what the reader typed, trimmed
    was_trimmed: bool


def clean_query(raw: str) -> CleanQuery:
    """Bound the query: at most 200 characters and 12 words, query syntax removed."""
    shown = " ".join((raw or "").split())
    trimmed = len(shown) > MAX_QUERY_CHARS
    shown = shown[:MAX_QUERY_CHARS]
    words = normalize(shown.translate(_WHOOSH_SPECIAL)).split()
    trimmed = trimmed or len(words) > MAX_QUERY_WORDS
    return CleanQuery(text=" ".join(words[:MAX_QUERY_WORDS]), shown=shown, was_trimmed=trimmed)


@dataclass
class SearchHit:
    group_id: int
    article_id: int
    kind: str  # "article" or "faq"
    title: str
    url: str
    snippet: str  # HTML with <mark>, escaped
    language: str
    is_fallback: bool
    position: int = 0


@dataclass
class SearchPage:
    query: CleanQuery
    hits: list[SearchHit] = field(default_factory=list)
    total: int = 0
    total_is_estimate: bool = False
    page: int = 1
    pages: int = 0
    is_fuzzy: bool = False
    did_you_mean: str = ""
    search_id: str = ""


def _fields_query(text: str, lang: str, *, fuzzy: bool = False) -> SQ:
    if fuzzy:
        terms = " OR ".join(f"{w}~2" for w in text.split() if len(w) > 3)
        value = Raw(f"({terms})") if terms else AutoQuery(text)
    else:
        value = AutoQuery(text)
    query = SQ(**{f"title_{lang}": value})
    for prefix in ("labels", "section", "body"):
        query |= SQ(**{f"{prefix}_{lang}": value})
    return query


def _base_queryset(audience: str, lang: str, only_language: str, category: str):
    sqs = SearchQuerySet().models(Article, Faq)
    if audience != "agents":
        # NOT internal rather than = public: the few internal documents are cheap to skip.
        sqs = sqs.exclude(audience="internal")
    if only_language:
        sqs = sqs.filter(language=index_language(only_language))
    if category:
        sqs = sqs.filter(category=category)
    return sqs


def _raw_hits(query: CleanQuery, lang: str, audience: str, only_language: str, category: str,
              *, fuzzy: bool) -> SearchQuerySet:  # fmt: skip
    sqs = _base_queryset(audience, lang, only_language, category)
    default = index_language(settings.LANGUAGE_CODE)
    content = _fields_query(query.text, lang, fuzzy=fuzzy)
    if default != lang:  # untranslated articles are found in the default language too
        content |= _fields_query(query.text, default, fuzzy=fuzzy)
    # Language fields are filled for their own language only: no language filter needed.
    return sqs.filter(content)


def search(*, raw_query: str, language: str, audience: str, page: int = 1,
           only_language: str = "", category: str = "", visitor_id: str = "",
           session_id: str = "") -> SearchPage:  # fmt: skip
    """Search articles and FAQs the reader may see; log the search."""
    query = clean_query(raw_query)
    result = SearchPage(query=query, page=max(1, page), search_id=uuid.uuid4().hex)
    if not query.text:
        return result
    lang = index_language(language)
    # Two hits per article on the page at most (its translation and its original).
    wanted = min(result.page * PER_PAGE, MAX_RESULTS) * 2
    sqs = _raw_hits(query, lang, audience, only_language, category, fuzzy=False)
    raw = list(sqs[:wanted])
    if not raw:
        sqs = _raw_hits(query, lang, audience, only_language, category, fuzzy=True)
        raw = list(sqs[:wanted])
        result.is_fuzzy = bool(raw)
    groups = _best_per_group(raw, lang)
    saw_everything = len(raw) < wanted
    if saw_everything:
        result.total = len(groups)
    else:  # the index's estimate counts translations too; halve it, as `wanted` doubled
        result.total = min(max(sqs.count() // 2, len(groups)), MAX_RESULTS)
    result.total_is_estimate = not saw_everything
    result.pages = min((result.total + PER_PAGE - 1) // PER_PAGE, MAX_RESULTS // PER_PAGE)
    start = (result.page - 1) * PER_PAGE
    result.hits = _load_hits(groups[start : start + PER_PAGE], query.text, language, start)
    if not groups or result.is_fuzzy:
        result.did_you_mean = _did_you_mean(query.text)
    _log_search(result, language, only_language, category, visitor_id, session_id)
    return result


def _best_per_group(raw: list, lang: str) -> list:
    best: dict[tuple[str, int], object] = {}
    order: list[tuple[str, int]] = []
    for hit in raw:
        key = (hit.model_name, hit.group_id)
        if key not in best:
            order.append(key)
            best[key] = hit
        elif hit.language == lang and best[key].language != lang:
            best[key] = hit
    return [best[k] for k in order][:MAX_RESULTS]


def _load_hits(raw: list, text: str, language: str, offset: int) -> list[SearchHit]:
    """Read the rows from the database (fresh text, and one more visibility check)."""
    article_ids = [int(h.pk) for h in raw if h.model_name == "article"]
    faq_ids = [int(h.pk) for h in raw if h.model_name == "faq"]
    articles = (
        Article.objects.published()
        .select_related("live_revision")
        .defer(*HIT_UNUSED_COLUMNS)
        .in_bulk(article_ids)
    )
    faqs = Faq.objects.published().in_bulk(faq_ids)
    hits = []
    for hit in raw:
        obj = (articles if hit.model_name == "article" else faqs).get(int(hit.pk))
        if obj is not None:
            hits.append(_hit(obj, text, language, offset + len(hits) + 1))
    return hits


# Markdown sources and copies a search hit never reads (the live revision's HTML is enough).
HIT_UNUSED_COLUMNS = (
    "title", "summary", "body", "live_revision__body", "live_revision__toc", "live_revision__note",
)  # fmt: skip


def _hit(obj, text: str, language: str, position: int) -> SearchHit:
    if isinstance(obj, Article):
        live = obj.live_revision
        title, body, url = (
            live.title,
            # Snippets read the opening only; the HTML is never shorter than its text.
            f"{live.summary}\n{plain_text(live.body_html[: snippets.SOURCE_CHARS * 2])}",
            obj.get_absolute_url(),
        )
    else:
        title, body, url = obj.question, plain_text(obj.answer_html), obj.get_absolute_url()
    return SearchHit(
        group_id=obj.group_id, article_id=obj.pk, kind=obj._meta.model_name, title=title, url=url,
        snippet=snippets.snippet(body, text, obj.language), language=obj.language,
        is_fallback=index_language(obj.language) != index_language(language), position=position,
    )  # fmt: skip


def _did_you_mean(text: str) -> str:
    backend = connections["default"].get_backend()
    if not hasattr(backend, "searcher"):
        return ""
    from helpdesk.search_backend import suggest_spelling

    words = split_words(text)
    suggestion = " ".join(suggest_spelling(backend, words))
    return suggestion if suggestion != " ".join(words) else ""


def _log_search(result: SearchPage, language, only_language, category, visitor_id, session_id):
    buffer_event(
        kind="search.performed",
        visitor_id=visitor_id,
        session_id=session_id,
        language=language,
        data={
            "search_id": result.search_id, "query": result.query.text, "results": result.total,
            "page": result.page, "fuzzy": result.is_fuzzy, "category": category,
            "only_language": only_language, "top": [h.group_id for h in result.hits[:5]],
        },
    )  # fmt: skip


def record_click(*, search_id: str, kind: str, group_id: int, position: int, language: str,
                 visitor_id: str, session_id: str) -> None:  # fmt: skip
    buffer_event(
        kind="search.result_clicked", visitor_id=visitor_id, session_id=session_id,
        language=language,
        data={"search_id": search_id, "kind": kind, "group": group_id, "position": position},
    )  # fmt: skip


def suggest(*, raw_query: str, language: str, audience: str) -> list[SearchHit]:
    """Top articles as the reader types: the last word may be unfinished (prefix match)."""
    query = clean_query(raw_query)
    if len(query.text) < 2 and not (query.text and is_cjk(query.text[0])):
        return []  # one Latin letter matches everything; one Han character is a word
    lang = index_language(language)
    words = query.text.split()
    # Spaced languages: the last word is a prefix; CJK bigrams need no prefix.
    prefix = (
        Raw(" ".join([*words[:-1], f"{words[-1]}*"])) if lang != "zh" else AutoQuery(query.text)
    )
    content = SQ(**{f"title_{lang}": prefix}) | SQ(**{f"body_{lang}": AutoQuery(query.text)})
    sqs = SearchQuerySet().models(Article).filter(content)
    if audience != "agents":
        sqs = sqs.exclude(audience="internal")
    ids = [int(h.pk) for h in sqs[:SUGGEST_LIMIT]]
    rows = Article.objects.published().select_related("live_revision").in_bulk(ids)
    if audience != "agents":
        rows = {pk: a for pk, a in rows.items() if a.visibility == Visibility.PUBLIC}
    return [_hit(rows[pk], query.text, language, i + 1) for i, pk in enumerate(ids) if pk in rows]
