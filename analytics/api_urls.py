"""API URLs of the analytics app (under /api/v1/analytics/)."""

from django.urls import path

from . import api

urlpatterns = [
    path("metrics/", api.MetricListView.as_view(), name="analytics-api-metrics"),
    path("metrics/<slug:key>/", api.MetricDetailView.as_view(), name="analytics-api-metric"),
]
