"""API output serializers: a metric's definition, and a report for a period (filters)."""

from __future__ import annotations

from rest_framework import serializers


class ReportDefinitionSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    help_text = serializers.CharField()
    formula = serializers.CharField()
    section = serializers.CharField()
    is_split_by_queue = serializers.BooleanField()


class ReportResultSerializer(ReportDefinitionSerializer):
    start = serializers.DateField()
    end = serializers.DateField()
    headline = serializers.CharField()
    columns = serializers.ListField(child=serializers.CharField())
    rows = serializers.ListField(child=serializers.ListField(child=serializers.JSONField()))
