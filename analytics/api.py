"""Analytics API: the metric definitions, and each metric's figures for a period and filters."""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from .filters import FilterForm
from .metrics import REPORTS, REPORTS_BY_KEY
from .permissions import CanViewAnalytics
from .selectors import build_report
from .serializers import ReportDefinitionSerializer, ReportResultSerializer

TAGS = ["analytics"]
FILTERS = [
    OpenApiParameter(
        "start", OpenApiTypes.DATE, description="First UTC day (default: 29 days before `end`)."
    ),
    OpenApiParameter(
        "end", OpenApiTypes.DATE, description="Last UTC day, inclusive (default: today)."
    ),
    OpenApiParameter("language", str, description="Language code, e.g. `fi`."),
    OpenApiParameter("channel", str, description="web, widget, email, api or phone."),
    OpenApiParameter("queue", int, description="Queue id (ticket metrics only)."),
    OpenApiParameter(
        "key",
        str,
        OpenApiParameter.PATH,
        enum=[r.key for r in REPORTS],
        description="The metric's key (see the list endpoint).",
    ),
]


def _definition(report) -> dict:
    return {
        "key": report.key,
        "label": str(report.label),
        "help_text": str(report.help_text),
        "formula": report.formula,
        "section": str(report.section),
        "is_split_by_queue": report.is_split_by_queue,
    }


class MetricListView(APIView):
    """Every metric with its exact definition (docs/metrics.md says the same)."""

    permission_classes = [CanViewAnalytics]

    @extend_schema(tags=TAGS, responses=ReportDefinitionSerializer(many=True))
    def get(self, request: Request) -> Response:
        return Response([_definition(r) for r in REPORTS])


class MetricDetailView(APIView):
    """One metric's figures for a period and filters, read from the roll-up tables."""

    permission_classes = [CanViewAnalytics]

    @extend_schema(tags=TAGS, parameters=FILTERS, responses=ReportResultSerializer)
    def get(self, request: Request, key: str) -> Response:
        if key not in REPORTS_BY_KEY:
            raise Http404
        form = FilterForm(request.query_params or None)
        if request.query_params and not form.is_valid():
            return Response(form.errors, status=400)
        filters = form.filters()
        result = build_report(filters, key)
        data = {
            **_definition(REPORTS_BY_KEY[key]),
            "start": filters.start,
            "end": filters.end,
            "headline": result.headline,
            "columns": [str(c) for c in result.columns],
            "rows": [
                [str(v) if hasattr(v, "isoformat") else v for v in row] for row in result.rows
            ],
        }
        return Response(ReportResultSerializer(data).data)
