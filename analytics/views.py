"""The analytics dashboard and its CSV exports (read aggregates only)."""

from __future__ import annotations

import csv

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language_bidi
from django.utils.translation import gettext as _

from .charts import report_chart
from .filters import FilterForm
from .metrics import REPORTS, REPORTS_BY_KEY
from .permissions import analytics_required
from .selectors import build_dashboard, build_report, last_rollup


@analytics_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """Every report for the chosen period and filters, grouped by section."""
    form = FilterForm(request.GET or None)
    filters = form.filters()
    results = build_dashboard(filters)
    rtl = get_language_bidi()
    sections: dict[str, list] = {}
    for report in REPORTS:
        result = results[report.key]
        sections.setdefault(str(report.section), []).append(
            {"report": report, "result": result, "chart": report_chart(result, rtl=rtl)}
        )
    context = {
        "form": form,
        "filters": filters,
        "sections": sections,
        "query": request.GET.urlencode(),
        "last_run": last_rollup(),
    }
    return render(request, "analytics/dashboard.html", context)


@analytics_required
def export_csv(request: HttpRequest, key: str) -> HttpResponse:
    """One report as CSV, for the same filters as the dashboard URL it was linked from."""
    if key not in REPORTS_BY_KEY:
        raise Http404
    form = FilterForm(request.GET or None)
    filters = form.filters()
    result = build_report(filters, key)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    name = f"{key}_{filters.start}_{filters.end}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    writer = csv.writer(response)
    writer.writerow([_("Period"), filters.start.isoformat(), filters.end.isoformat()])
    writer.writerow(result.columns)
    for row in result.rows:
        writer.writerow(["" if v is None else _safe_cell(v) for v in row])
    return response


def _safe_cell(value):
    """Cells that a spreadsheet would run as a formula are quoted (CSV injection)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value
