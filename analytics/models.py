"""Aggregate tables the dashboard reads: metric roll-ups, search wording, per-ticket facts."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class MetricRow(models.Model):
    """One number: a metric's value for a time bucket and one combination of dimensions.

    `queue_id` is a plain column (0 = no queue) so that roll-ups outlive a deleted queue;
    `subject` names what a breakdown row is about (an article id, an intent, a flow step).
    """

    metric = models.CharField(_("metric"), max_length=64)
    language = models.CharField(_("language"), max_length=16, blank=True, default="")
    channel = models.CharField(_("channel"), max_length=16, blank=True, default="")
    queue_id = models.BigIntegerField(_("queue"), default=0)
    subject = models.CharField(_("subject"), max_length=200, blank=True, default="")
    value = models.BigIntegerField(_("value"), default=0)

    class Meta:
        abstract = True


class HourlyMetric(MetricRow):
    """Event counts per UTC hour (see analytics.metrics for what each metric counts)."""

    hour = models.DateTimeField(_("hour (UTC)"))

    class Meta:
        verbose_name = _("hourly metric")
        verbose_name_plural = _("hourly metrics")
        indexes = [models.Index(fields=["hour", "metric"], name="an_hourly_hour_metric_idx")]
        permissions = [("view_analytics", "Can view the analytics dashboard and exports")]

    def __str__(self) -> str:
        return f"{self.metric} {self.hour:%Y-%m-%d %H:00} = {self.value}"


class DailyMetric(MetricRow):
    """Every metric per UTC day: event counts, session funnel, bot outcomes, breakdowns."""

    day = models.DateField(_("day (UTC)"))

    class Meta:
        verbose_name = _("daily metric")
        verbose_name_plural = _("daily metrics")
        indexes = [
            models.Index(fields=["day", "metric"], name="an_daily_day_metric_idx"),
            models.Index(fields=["metric", "day"], name="an_daily_metric_day_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.metric} {self.day} = {self.value}"


class SearchQueryDaily(models.Model):
    """Searches per UTC day, language and normalised wording (for top searches and gaps)."""

    day = models.DateField(_("day (UTC)"))
    language = models.CharField(_("language"), max_length=16, blank=True, default="")
    key = models.CharField(_("normalised wording"), max_length=200)
    sample = models.CharField(_("most common wording"), max_length=200)
    searches = models.PositiveIntegerField(_("searches"), default=0)
    zero_results = models.PositiveIntegerField(_("searches without results"), default=0)
    no_clicks = models.PositiveIntegerField(_("searches without a click"), default=0)

    class Meta:
        verbose_name = _("search wording per day")
        verbose_name_plural = _("search wording per day")
        indexes = [models.Index(fields=["day", "key"], name="an_search_day_key_idx")]

    def __str__(self) -> str:
        return f"{self.day} {self.key!r} ×{self.searches}"


class TicketFact(models.Model):
    """One row per ticket with its durations: percentiles need the values, not just counts.

    Durations are in seconds, wall clock and business hours (the queue's calendar; around the
    clock when the queue has none). Rewritten whenever the ticket has an event in a rolled-up day.
    """

    ticket_id = models.BigIntegerField(primary_key=True)
    created_at = models.DateTimeField()
    created_day = models.DateField()
    language = models.CharField(max_length=16, blank=True, default="")
    channel = models.CharField(max_length=16, blank=True, default="")
    queue_id = models.BigIntegerField(default=0)
    assignee_id = models.BigIntegerField(default=0)
    is_open = models.BooleanField(default=True)
    first_response_seconds = models.BigIntegerField(null=True, blank=True)
    first_response_business_seconds = models.BigIntegerField(null=True, blank=True)
    resolution_seconds = models.BigIntegerField(null=True, blank=True)
    resolution_business_seconds = models.BigIntegerField(null=True, blank=True)
    satisfaction = models.CharField(max_length=8, blank=True, default="")
    is_sla_breached = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("ticket fact")
        verbose_name_plural = _("ticket facts")
        indexes = [models.Index(fields=["created_day", "queue_id"], name="an_fact_day_queue_idx")]

    def __str__(self) -> str:
        return f"ticket {self.ticket_id} facts"


class RollupRun(models.Model):
    """When each UTC day was last rolled up (the dashboard says how fresh its numbers are)."""

    day = models.DateField(primary_key=True)
    finished_at = models.DateTimeField()
    events = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("roll-up run")
        verbose_name_plural = _("roll-up runs")

    def __str__(self) -> str:
        return f"{self.day} rolled up at {self.finished_at:%Y-%m-%d %H:%M}"
