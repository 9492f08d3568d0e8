"""A haystack Whoosh backend fit for production: one writer, bounded lock waits, a shared searcher.

What the stock backend does and this one does not (measured in ../shared/research/dependencies.md):
- a new searcher per indexed document (update_document) and per query: here deletes are batched
  in one searcher and queries reuse a per-thread searcher refreshed only when the index changed;
- compound segment files copied into memory by every reader: here segments are not compound;
- removals that meet a held write lock are logged and dropped (deleted articles stay
  searchable): here every write waits a bounded time and then raises, so the Celery task on the
  `search` queue retries it;
- an extra content-type narrowing search per query: here it is a filter on the same searcher.
"""

from __future__ import annotations

import multiprocessing
import os
import threading

from django.conf import settings
from django.utils.encoding import force_str
from haystack.backends import BaseEngine
from haystack.backends.whoosh_backend import WhooshSearchBackend, WhooshSearchQuery
from haystack.constants import DJANGO_CT, DJANGO_ID, ID
from haystack.exceptions import SkipDocument
from haystack.utils import get_identifier
from haystack.utils.app_loading import haystack_get_model
from whoosh import query as wq
from whoosh.fields import TEXT

from .search_analyzers import PART_SEPARATOR, WeightedPartsAnalyzer
from .search_scoring import top_hits

# Seconds a writer waits for the lock before giving up (and the task retrying).
DEFAULT_LOCK_TIMEOUT = 10.0
BULK_BATCH = 200
_local = threading.local()


def _bulk_processes() -> int:
    """Processes for a bulk write: one per core, never from a daemonic process (a Celery child)."""
    if multiprocessing.current_process().daemon:
        return 1
    return max(1, min(os.cpu_count() or 1, 8))


class HelpdeskWhooshBackend(WhooshSearchBackend):
    def __init__(self, connection_alias, **connection_options):
        super().__init__(connection_alias, **connection_options)
        # Never swallow index errors: the caller (a Celery task) must see them and retry.
        self.silently_fail = False

    def build_schema(self, fields):
        content_field_name, schema = super().build_schema(fields)
        for field in fields.values():
            name = field.index_fieldname
            if isinstance(schema[name], TEXT):
                # Not sortable (no per-document column to write), stored only when asked, and
                # without positions: queries are bags of words (snippets are built from the
                # database text), and positions were half of the indexing time.
                schema.remove(name)
                analyzer = schema_analyzer(field)
                if _is_match_field(name):
                    analyzer = WeightedPartsAnalyzer(analyzer, _part_boosts(fields, name))
                schema.add(
                    name,
                    TEXT(
                        stored=field.stored,
                        analyzer=analyzer,
                        field_boost=field.boost,
                        spelling=field.document,
                        phrase=False,
                    ),
                )
        return content_field_name, schema

    # --- writes ----------------------------------------------------------------------------
    def _writer(self, procs: int = 1):
        if not self.setup_complete:
            self.setup()
        # A plain writer that waits a bounded time, then raises LockError.
        timeout = getattr(settings, "SEARCH_LOCK_TIMEOUT", DEFAULT_LOCK_TIMEOUT)
        if procs > 1:
            # Bulk batches (update_index, rebuild_index): analysis and posting lists in `procs`
            # processes, one segment each; update_index merges them once at the end.
            return self.index.writer(
                timeout=timeout, compound=False, procs=procs, multisegment=True, batchsize=250
            )
        return self.index.writer(timeout=timeout, compound=False)

    def update(self, index, iterable, commit=True):
        docs = []
        for obj in iterable:
            try:
                doc = index.full_prepare(obj)
            except SkipDocument:
                continue
            doc.pop("boost", None)
            fold_weight_fields(doc)
            docs.append({key: self._from_python(value) for key, value in doc.items()})
        if docs:
            self._write(delete_ids=[d[ID] for d in docs], add=docs)

    def remove(self, obj_or_string, commit=True):
        self.remove_ids([get_identifier(obj_or_string)])

    def remove_ids(self, ids: list[str]) -> None:
        if ids:
            self._write(delete_ids=ids, add=[])

    def _write(self, *, delete_ids: list[str], add: list[dict]) -> None:
        writer = self._writer(procs=_bulk_processes() if len(add) >= BULK_BATCH else 1)
        try:
            with writer.searcher() as searcher:  # one searcher for every delete
                for doc_id in delete_ids:
                    writer.delete_by_term(ID, doc_id, searcher=searcher)
            for doc in add:
                writer.add_document(**doc)
        except BaseException:
            writer.cancel()
            raise
        # A bulk batch (update_index) skips merging: update_index merges once at the end.
        writer.commit(merge=len(add) < BULK_BATCH)

    def optimize(self):
        """Merge every segment into one (after a bulk rebuild): fewer segments, faster queries."""
        writer = self._writer()
        writer.commit(optimize=True)

    def segment_count(self) -> int:
        if not self.setup_complete:
            self.setup()
        return len(self.index._segments())

    def clear(self, models=None, commit=True):
        if models is None:
            self.delete_index()
            return
        cts = [f"{m._meta.app_label}.{m._meta.model_name}" for m in models]
        writer = self._writer()
        try:
            for ct in cts:
                writer.delete_by_term(DJANGO_CT, ct)
        except BaseException:
            writer.cancel()
            raise
        writer.commit()

    # --- reads -----------------------------------------------------------------------------
    def searcher(self):
        """This thread's searcher, reopened only when the index on disk has changed."""
        if not self.setup_complete:
            self.setup()
        cache = _local.__dict__.setdefault("searchers", {})
        token = self._index_token()
        cached = cache.get(self.path)
        if cached is None or cached[0] != token:
            if cached is not None:
                cached[1].close()
            cached = (token, self.index.searcher())
            cache[self.path] = cached
        return cached[1]

    def _index_token(self) -> tuple:
        # The generation alone is not enough: a rebuilt index starts counting again, so the
        # table-of-contents file's identity tells an old generation 3 from a new one.
        generation = self.index.latest_generation()
        toc = os.path.join(self.path, f"_{self.index.indexname}_{generation}.toc")
        try:
            stat = os.stat(toc)
        except FileNotFoundError:
            return (generation, None)
        return (generation, stat.st_ino, stat.st_mtime_ns)

    def indexed_ids(self, model_ct: str) -> dict[str, object]:
        """Every document id of one model with its stored `updated` value (for reconcile)."""
        searcher = self.searcher()
        hits = searcher.search(wq.Term(DJANGO_CT, model_ct), limit=None)
        return {hit[ID]: hit.get("updated") for hit in hits}

    def search(self, query_string, sort_by=None, start_offset=0, end_offset=None, fields="",
               highlight=False, facets=None, date_facets=None, query_facets=None,
               narrow_queries=None, spelling_query=None, within=None, dwithin=None,
               distance_point=None, models=None, limit_to_registered_models=None,
               result_class=None, **kwargs):  # fmt: skip
        if not self.setup_complete:
            self.setup()
        query_string = force_str(query_string or "")
        if not query_string.strip():
            return {"results": [], "hits": 0}
        parsed = weight_only_fields(self.parser.parse(query_string))
        if parsed is None or parsed is wq.NullQuery:
            return {"results": [], "hits": 0}
        searcher = self.searcher()
        page_num, page_length = self.calculate_page(start_offset, end_offset)
        # Filters join the query itself: Whoosh then intersects posting lists lazily, where a
        # separate filter would first collect the id of every document that passes it.
        combined = self._restrict(parsed, searcher, narrow_queries, models)
        start = (page_num - 1) * page_length
        fast = None if sort_by else top_hits(searcher, combined, page_num * page_length)
        if fast is not None:
            best, count = fast
            hits = [(score, searcher.stored_fields(doc)) for score, doc in best[start:]]
            return self._found(hits, count)
        results = searcher.search(
            combined, limit=page_num * page_length,
            sortedby=[s.lstrip("-") for s in sort_by] if sort_by else None,
            reverse=bool(sort_by and sort_by[0].startswith("-")),
        )  # fmt: skip
        # (search_page would count every match exactly: as costly as the search itself.)
        hits = [(hit.score, hit.fields()) for hit in results[start:]]
        # Counting every match exactly costs as much as the search; an estimate is enough.
        return self._found(hits, max(results.estimated_length(), start + len(hits)))

    def _restrict(self, parsed, searcher, narrow_queries, models):
        """Add the narrowing queries and the model restriction to the query, cheaply.

        A model restriction matches most of the index; intersecting with it costs a skip on
        every candidate. Excluding the other models (usually few documents) costs less, and
        when every indexed model is wanted there is nothing to restrict.
        """
        parts = [self.parser.parse(force_str(nq)) for nq in (narrow_queries or ())]
        query = wq.And([parsed, *parts]) if parts else parsed
        if not models:
            return query
        wanted = {f"{m._meta.app_label}.{m._meta.model_name}" for m in models}
        present = set(searcher.lexicon(DJANGO_CT)) if hasattr(searcher, "lexicon") else set()
        present = {p.decode() if isinstance(p, bytes) else p for p in present}
        others = present - wanted
        if not others:
            return query
        size = lambda cts: sum(searcher.doc_frequency(DJANGO_CT, ct) for ct in cts)  # noqa: E731
        if size(others) < size(wanted):
            return wq.AndNot(query, wq.Or([wq.Term(DJANGO_CT, ct) for ct in sorted(others)]))
        return wq.And([query, wq.Or([wq.Term(DJANGO_CT, ct) for ct in sorted(wanted)])])

    def _found(self, hits: list[tuple[float, dict]], count: int) -> dict:
        """haystack's result dict from (score, stored fields) pairs."""
        from haystack import connections
        from haystack.models import SearchResult

        unified = connections[self.connection_alias].get_unified_index()
        found = []
        for score, fields in hits:
            app_label, model_name = fields[DJANGO_CT].split(".")
            model = haystack_get_model(app_label, model_name)
            if model is None:
                continue
            index = unified.get_index(model)
            stored = {
                key: index.fields[key].convert(value) if key in index.fields else value
                for key, value in fields.items()
                if key not in (DJANGO_CT, DJANGO_ID)
            }
            found.append(SearchResult(app_label, model_name, fields[DJANGO_ID], score, **stored))
        return {"results": found, "hits": count, "facets": {}, "spelling_suggestion": None}


WEIGHT_FIELDS = ("title", "labels", "section")  # each `<name>_<lang>` only adds weight
MATCH_FIELD = "body"  # `body_<lang>` holds all of a document's text in that language
# The weight fields are folded into the match field, each part with its own field's boost
# (kb.search_indexes: title 3, labels 2.8, section 1.5), the body's part last with 1.
# Titles keep their own field too: as-you-type suggestions match title prefixes.
KEPT_WEIGHT_FIELDS = ("title",)


def _is_match_field(name: str) -> bool:
    return name.rpartition("_")[0] == MATCH_FIELD


def _part_boosts(fields: dict, match_field: str) -> tuple[float, ...]:
    """The boost of each part of `body_X`: its weight field's (`title_X`, ...), then 1."""
    boosts = {field.index_fieldname: field.boost for field in fields.values()}
    lang = match_field.rpartition("_")[2]
    return (*(boosts.get(f"{prefix}_{lang}", 1.0) for prefix in WEIGHT_FIELDS), 1.0)


def fold_weight_fields(doc: dict) -> None:
    """Write `body_X` as "title␀labels␀section␀body" (see WeightedPartsAnalyzer), in place.

    `body_X` already holds every word; the parts before it add their weight. Labels and section
    are then not indexed on their own.
    """
    for name in [key for key in doc if _is_match_field(key)]:
        if not doc[name]:
            continue
        lang = name.rpartition("_")[2]
        parts = [doc.get(f"{prefix}_{lang}") or "" for prefix in WEIGHT_FIELDS]
        doc[name] = PART_SEPARATOR.join([*parts, doc[name]])
    for prefix in WEIGHT_FIELDS:
        if prefix not in KEPT_WEIGHT_FIELDS:
            for key in [k for k in doc if k.rpartition("_")[0] == prefix]:
                doc.pop(key)


def _single_field(query) -> str | None:
    fields = {fieldname for fieldname, _ in query.iter_all_terms()}
    return fields.pop() if len(fields) == 1 else None


def _same_words(query, other, fieldname: str) -> bool:
    """Does `query` ask the same as `other` once its field is renamed to `fieldname`?"""

    def rename(node):
        if getattr(node, "fieldname", None) is not None:
            node = node.copy()
            node.fieldname = fieldname
        return node

    return query.accept(rename) == other


def weight_only_fields(query):
    """Rewrite `title_X:q OR labels_X:q OR section_X:q OR body_X:q` as `body_X:q`.

    The same documents match (the body field holds the title, labels and section too) and the
    weight fields' weight is already in body_X's term weights (fold_weight_fields), so Whoosh
    walks one posting list per word instead of four. A weight-field query that asks something
    else (a title prefix, say) stays: `body_X:q ANDMAYBE title_X:p*`.
    """
    if isinstance(query, wq.Or):
        groups: dict[str, dict[str, object]] = {}
        rest = []
        for child in query.subqueries:
            field = _single_field(child)
            prefix, _, lang = (field or "").rpartition("_")
            if prefix in (*WEIGHT_FIELDS, MATCH_FIELD):
                groups.setdefault(lang, {})[prefix] = child
            else:
                rest.append(weight_only_fields(child))
        for lang, parts in groups.items():
            body = parts.pop(MATCH_FIELD, None)
            if body is not None:
                name = f"{MATCH_FIELD}_{lang}"
                parts = {k: q for k, q in parts.items() if not _same_words(q, body, name)}
            if body is not None and parts:
                rest.append(wq.AndMaybe(body, wq.Or(list(parts.values()))))
            else:
                rest.extend([*parts.values(), *([body] if body is not None else [])])
        return rest[0] if len(rest) == 1 else wq.Or(rest)
    if isinstance(query, wq.And):
        return wq.And([weight_only_fields(c) for c in query.subqueries])
    if isinstance(query, wq.AndNot):
        return wq.AndNot(weight_only_fields(query.a), query.b)
    return query


def schema_analyzer(field):
    """The analyzer a haystack field asked for, or Whoosh's stemming analyzer by default."""
    from whoosh.analysis import StemmingAnalyzer

    return field.analyzer or StemmingAnalyzer()


class HelpdeskWhooshEngine(BaseEngine):
    backend = HelpdeskWhooshBackend
    query = WhooshSearchQuery


def suggest_spelling(backend, words: list[str], field: str = "text") -> list[str]:
    """Closest indexed word for each word the index does not know (Whoosh's corrector)."""
    searcher = backend.searcher()
    corrector = searcher.corrector(field)
    suggestions = []
    for word in words:
        if searcher.doc_frequency(field, word):
            suggestions.append(word)
            continue
        found = corrector.suggest(word, limit=1, maxdist=2)
        suggestions.append(found[0] if found else word)
    return suggestions
