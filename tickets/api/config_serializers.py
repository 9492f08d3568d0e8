"""Serializers for the admin-edited configuration: calendars, SLA policies, automations,
webhooks, queue routing, agent availability and macros. Model validation (`clean()`) runs on
every write, so the API refuses exactly what the admin refuses."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from helpdesk.serializers import CachedModelSerializer

from ..models import (
    AgentStatus,
    Automation,
    Availability,
    BusinessHours,
    DeliveryStatus,
    Holiday,
    Macro,
    Queue,
    RoutingStrategy,
    SlaPolicy,
    Webhook,
    WebhookDelivery,
)


class CleanedModelSerializer(CachedModelSerializer):
    """Runs the model's clean() on the would-be instance; its errors become field errors."""

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        plain = {k: v for k, v in attrs.items() if not self._is_many(k)}
        instance = self.instance or self.Meta.model()
        originals = {k: getattr(instance, k) for k in plain} if self.instance else {}
        for key, value in plain.items():
            setattr(instance, key, value)
        try:
            instance.clean()
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.message_dict) from exc
        finally:
            for key, value in originals.items():
                setattr(instance, key, value)
        return attrs

    def _is_many(self, name: str) -> bool:
        field = self.fields.get(name)
        return isinstance(field, serializers.ManyRelatedField | serializers.ListSerializer)


class HolidaySerializer(CachedModelSerializer):
    class Meta:
        model = Holiday
        fields = ["date", "name"]


class BusinessHoursSerializer(CleanedModelSerializer):
    holidays = HolidaySerializer(many=True, required=False)
    weekly_hours = serializers.JSONField(
        help_text='Weekday (0 = Monday) → [["HH:MM", "HH:MM"], ...]; "24:00" ends a day.'
    )

    class Meta:
        model = BusinessHours
        fields = ["id", "name", "timezone", "weekly_hours", "holidays", "updated_at"]
        read_only_fields = ["id", "updated_at"]

    @transaction.atomic
    def create(self, validated: dict[str, Any]) -> BusinessHours:
        holidays = validated.pop("holidays", [])
        calendar = BusinessHours.objects.create(**validated)
        Holiday.objects.bulk_create([Holiday(calendar=calendar, **h) for h in holidays])
        return calendar

    @transaction.atomic
    def update(self, calendar: BusinessHours, validated: dict[str, Any]) -> BusinessHours:
        holidays = validated.pop("holidays", None)
        calendar = super().update(calendar, validated)
        if holidays is not None:
            calendar.holidays.all().delete()
            Holiday.objects.bulk_create([Holiday(calendar=calendar, **h) for h in holidays])
            calendar.save(update_fields=["updated_at"])  # tells every process to reload
        return calendar


class SlaPolicySerializer(CleanedModelSerializer):
    priorities = serializers.JSONField(required=False, help_text="Empty: any priority.")
    channels = serializers.JSONField(required=False, help_text="Empty: any channel.")

    class Meta:
        model = SlaPolicy
        fields = [
            "id",
            "name",
            "position",
            "is_active",
            "priorities",
            "channels",
            "queues",
            "organisations",
            "first_response_minutes",
            "next_response_minutes",
            "resolution_minutes",
            "warning_percent",
            "calendar",
            "notify_user",
            "raise_priority",
            "reassign_to",
            "updated_at",
        ]
        read_only_fields = ["id", "updated_at"]


class AutomationSerializer(CleanedModelSerializer):
    conditions = serializers.JSONField(required=False, help_text="All must hold.")
    actions = serializers.JSONField(help_text="Applied in order.")

    class Meta:
        model = Automation
        fields = [
            "id",
            "name",
            "is_active",
            "position",
            "trigger",
            "conditions",
            "actions",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "created_at", "updated_at"]


class AutomationPreviewSerializer(serializers.Serializer):
    ticket = serializers.IntegerField()
    reference = serializers.CharField()
    subject = serializers.CharField()
    actions = serializers.ListField(child=serializers.CharField())


class MacroSerializer(CleanedModelSerializer):
    actions = serializers.JSONField()

    class Meta:
        model = Macro
        fields = ["id", "name", "is_active", "queue", "actions"]
        read_only_fields = ["id"]


class MacroApplySerializer(serializers.Serializer):
    version = serializers.IntegerField(required=False, min_value=1, help_text="Or send If-Match.")


class WebhookSerializer(CleanedModelSerializer):
    events = serializers.JSONField(help_text='Event names, or ["*"].')
    secret = serializers.CharField(
        required=False, max_length=100, min_length=16, help_text="Generated when omitted."
    )

    class Meta:
        model = Webhook
        fields = ["id", "name", "url", "events", "secret", "is_active", "created_at"]
        read_only_fields = ["id", "created_at"]


@extend_schema_field(
    {"type": "string", "enum": list(DeliveryStatus.values)}, component_name="DeliveryStatusEnum"
)
class DeliveryStatusField(serializers.ChoiceField):
    def __init__(self, **kwargs) -> None:
        super().__init__(choices=DeliveryStatus.choices, **kwargs)


class WebhookDeliverySerializer(CachedModelSerializer):
    status = DeliveryStatusField(read_only=True)

    class Meta:
        model = WebhookDelivery
        fields = [
            "id",
            "uuid",
            "event",
            "status",
            "attempts",
            "next_attempt_at",
            "response_status",
            "last_error",
            "created_at",
            "delivered_at",
            "payload",
        ]
        read_only_fields = fields


class QueueRoutingSerializer(CachedModelSerializer):
    routing_strategy = serializers.ChoiceField(choices=RoutingStrategy.choices)

    class Meta:
        model = Queue
        fields = ["id", "name", "routing_strategy", "calendar"]
        read_only_fields = ["id", "name"]


class AgentStatusSerializer(CachedModelSerializer):
    availability = serializers.ChoiceField(choices=Availability.choices)
    skills = serializers.ListField(
        child=serializers.CharField(max_length=50), required=False, max_length=50
    )

    class Meta:
        model = AgentStatus
        fields = ["user", "availability", "capacity", "skills", "last_seen_at", "is_auto_away"]
        read_only_fields = ["user", "last_seen_at", "is_auto_away"]
