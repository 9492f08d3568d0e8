"""Read-only admin views of the roll-up tables (they are rebuilt by the roll-up, never edited)."""

from __future__ import annotations

from django.contrib import admin

from .models import DailyMetric, HourlyMetric, RollupRun, SearchQueryDaily, TicketFact


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(DailyMetric)
class DailyMetricAdmin(ReadOnlyAdmin):
    list_display = ("day", "metric", "language", "channel", "queue_id", "subject", "value")
    list_filter = ("metric", "language", "channel")
    date_hierarchy = "day"


@admin.register(HourlyMetric)
class HourlyMetricAdmin(ReadOnlyAdmin):
    list_display = ("hour", "metric", "language", "channel", "queue_id", "value")
    list_filter = ("metric", "language", "channel")
    date_hierarchy = "hour"


@admin.register(SearchQueryDaily)
class SearchQueryDailyAdmin(ReadOnlyAdmin):
    list_display = ("day", "language", "key", "sample", "searches", "zero_results", "no_clicks")
    list_filter = ("language",)
    search_fields = ("key", "sample")
    date_hierarchy = "day"


@admin.register(TicketFact)
class TicketFactAdmin(ReadOnlyAdmin):
    list_display = (
        "ticket_id",
        "created_day",
        "channel",
        "queue_id",
        "assignee_id",
        "first_response_business_seconds",
        "resolution_business_seconds",
        "is_sla_breached",
    )
    list_filter = ("channel", "is_open", "is_sla_breached")


@admin.register(RollupRun)
class RollupRunAdmin(ReadOnlyAdmin):
    list_display = ("day", "finished_at", "events")
