"""Dashboard reads that list things: escalation sources, articles, searches, agents."""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

from django.db.models import Count, Max, Q, QuerySet, Sum
from django.utils.translation import gettext as _

from helpdesk.models import User
from kb.models import Article

from .models import DailyMetric, SearchQueryDaily
from .results import Result, ratio
from .wording import group_similar

if TYPE_CHECKING:
    from .filters import Filters

TOP = 10
MIN_VOTES = 3
SEARCH_ROWS = 500
DETAIL_METRICS = (
    "escalation_intent",
    "escalation_step",
    "escalation_article",
    "article_helpful",
    "article_not_helpful",
)


def _top(counts: dict[str, int], n: int = TOP) -> list[tuple[str, int]]:
    return sorted(counts.items(), key=lambda i: (-i[1], i[0]))[:n]


def breakdown_results(f: Filters, metrics: QuerySet) -> list[Result]:
    """Escalation sources, least helpful articles and outdated translations (5 queries)."""
    sums: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    rows = metrics.filter(metric__in=DETAIL_METRICS).values("metric", "subject")
    for r in rows.annotate(v=Sum("value")).order_by():
        sums[r["metric"]][r["subject"]] += r["v"]
    outdated = _outdated(f)
    # Views per article are the biggest breakdown (a row per article and day): read only the
    # outdated translations' rows, not a year of every article's.
    views_of = metrics.filter(
        metric="article_views_by_article", subject__in=[str(pk) for pk in outdated]
    )
    for r in views_of.values("subject").annotate(v=Sum("value")).order_by():
        sums["article_views_by_article"][r["subject"]] += r["v"]
    ids = {int(s) for m in sums.values() for s in m if s.isdigit()} | set(outdated)
    titles = {
        pk: f"{title} ({lang})"
        for pk, title, lang in Article.objects.filter(pk__in=ids).values_list(
            "pk", "title", "language"
        )
    }

    def title(subject: str) -> str:
        return titles.get(int(subject), subject) if subject.isdigit() else subject

    sources = [[_("Topic (intent)"), s, n] for s, n in _top(sums["escalation_intent"])]
    sources += [[_("Flow step"), s, n] for s, n in _top(sums["escalation_step"])]
    sources += [
        [_("Article read before"), title(s), n] for s, n in _top(sums["escalation_article"])
    ]
    escalations = Result(
        "escalation_sources",
        [_("Kind"), _("Where"), _("Escalations")],
        sources,
        headline=str(sum(sums["escalation_intent"].values())),
        chart="bars",
    )
    up, down = sums["article_helpful"], sums["article_not_helpful"]
    voted = [(a, up.get(a, 0), down.get(a, 0)) for a in set(up) | set(down)]
    voted = [v for v in voted if v[1] + v[2] >= MIN_VOTES]
    voted.sort(key=lambda v: (-(v[2] / (v[1] + v[2])), -(v[1] + v[2]), v[0]))
    least = Result(
        "least_helpful_articles",
        [_("Article"), _("Helpful"), _("Not helpful"), _("Share not helpful")],
        [[title(a), u, d, ratio(d, u + d)] for a, u, d in voted[:TOP]],
        headline=str(len(voted)),
    )
    views = sums["article_views_by_article"]
    ordered = sorted(outdated.items(), key=lambda i: (-views.get(str(i[0]), 0), i[0]))
    stale = Result(
        "outdated_translations",
        [_("Translation"), _("Language"), _("Views")],
        [[titles.get(pk, str(pk)), lang, views.get(str(pk), 0)] for pk, lang in ordered[: TOP * 2]],
        headline=str(len(outdated)),
    )
    return [escalations, least, stale]


def _outdated(f: Filters) -> dict[int, str]:
    snapshots = DailyMetric.objects.filter(metric="outdated_translation", day__lte=f.end)
    if f.language:
        snapshots = snapshots.filter(language=f.language)
    latest = snapshots.aggregate(day=Max("day"))["day"]
    if latest is None:
        return {}
    rows = snapshots.filter(day=latest).values_list("subject", "language")
    return {int(s): lang for s, lang in rows if s.isdigit()}


def search_results(f: Filters) -> list[Result]:
    """Top searches and content gaps over grouped wordings (one query, bounded rows)."""
    rows = SearchQueryDaily.objects.filter(day__gte=f.start, day__lte=f.end)
    if f.language:
        rows = rows.filter(language=f.language)
    summed = (
        rows.values("key")
        .annotate(
            sample=Max("sample"), s=Sum("searches"), z=Sum("zero_results"), nc=Sum("no_clicks")
        )
        .order_by("-s", "key")[:SEARCH_ROWS]
    )
    groups = group_similar([(r["key"], r["sample"], r["s"], r["z"], r["nc"]) for r in summed])
    top = Result(
        "top_searches",
        [_("Search"), _("Searches"), _("Wordings")],
        [[g.label, g.searches, len(g.keys)] for g in groups[: TOP * 2]],
        headline=str(sum(g.searches for g in groups)),
        chart="bars",
    )
    gaps = [g for g in groups if g.zero_results or g.no_clicks]
    gaps.sort(key=lambda g: (-(g.zero_results + g.no_clicks), g.label))
    gap = Result(
        "content_gaps",
        [_("Search"), _("Searches"), _("No results"), _("No click"), _("Share without a click")],
        [
            [g.label, g.searches, g.zero_results, g.no_clicks, ratio(g.no_clicks, g.searches)]
            for g in gaps[: TOP * 2]
        ],
        headline=str(len(gaps)),
    )
    return [top, gap]


def agent_result(facts: QuerySet) -> Result:
    """Per current assignee: tickets, open, solved, satisfaction (2 queries)."""
    per = (
        facts.values("assignee_id")
        .annotate(
            n=Count("pk"),
            open=Count("pk", filter=Q(is_open=True)),
            good=Count("pk", filter=Q(satisfaction="good")),
            bad=Count("pk", filter=Q(satisfaction="bad")),
        )
        .order_by("-n", "assignee_id")
    )
    per = list(per)
    people = User.objects.filter(pk__in=[r["assignee_id"] for r in per])
    names = {pk: name or email for pk, name, email in people.values_list("pk", "name", "email")}
    rows = [
        [
            names.get(r["assignee_id"]) or _("Unassigned"),
            r["n"],
            r["open"],
            r["n"] - r["open"],
            ratio(r["good"], r["good"] + r["bad"]),
        ]
        for r in per
    ]
    return Result(
        "agent_workload",
        [_("Agent"), _("Tickets"), _("Open"), _("Solved"), _("Satisfaction")],
        rows,
        headline=str(len(rows)),
        chart="",
    )
