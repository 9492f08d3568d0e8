"""Search wording per day: one row per search (GROUP BY search id in SQL), keys in Python."""

from __future__ import annotations

from collections import Counter
from datetime import date

from django.db.models import Case, CharField, IntegerField, Max, Min, Sum, Value, When
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast

from helpdesk.models import Event

from ..models import SearchQueryDaily
from ..wording import wording_key
from .sql import day_bounds

PERFORMED, CLICKED = "search.performed", "search.result_clicked"


def _when(kind: str, then, output) -> Case:
    return Case(When(kind=kind, then=then), default=None, output_field=output)


def search_rows(day: date) -> list[SearchQueryDaily]:
    """Searches of `day` per language and wording key, with zero-result and no-click counts."""
    start, end = day_bounds(day)
    one = Case(When(kind=CLICKED, then=Value(1)), default=Value(0), output_field=IntegerField())
    per_search = (
        Event.objects.filter(
            kind__in=(PERFORMED, CLICKED), occurred_at__gte=start, occurred_at__lt=end
        )
        .annotate(sid=KeyTextTransform("search_id", "data"))
        .filter(sid__isnull=False)
        .values("sid")
        .annotate(
            query=Max(_when(PERFORMED, KeyTextTransform("query", "data"), CharField())),
            results=Min(
                _when(
                    PERFORMED,
                    Cast(KeyTextTransform("results", "data"), IntegerField()),
                    IntegerField(),
                )
            ),
            lang=Max(_when(PERFORMED, "language", CharField())),
            clicks=Sum(one),
        )
        .filter(query__isnull=False)
        .values_list("query", "results", "lang", "clicks")
    )
    totals: Counter[tuple[str, str]] = Counter()
    zero: Counter[tuple[str, str]] = Counter()
    no_click: Counter[tuple[str, str]] = Counter()
    samples: dict[tuple[str, str], Counter[str]] = {}
    for query, results, lang, clicks in per_search.iterator(chunk_size=5000):
        key = (lang or "", wording_key(query, lang))
        if not key[1]:
            continue
        totals[key] += 1
        zero[key] += 1 if not results else 0
        no_click[key] += 1 if not clicks else 0
        sample = samples.setdefault(key, Counter())
        if len(sample) < 20 or query in sample:  # bounded: a few wordings per key suffice
            sample[query.strip()[:200]] += 1
    return [
        SearchQueryDaily(
            day=day,
            language=lang,
            key=k,
            sample=samples[(lang, k)].most_common(1)[0][0],
            searches=n,
            zero_results=zero[(lang, k)],
            no_clicks=no_click[(lang, k)],
        )
        for (lang, k), n in totals.items()
    ]
