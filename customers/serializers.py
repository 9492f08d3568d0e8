"""API input and output shapes for contacts, organisations, attributes, timeline and imports."""

from __future__ import annotations

from django.conf import settings
from rest_framework import serializers

from helpdesk.serializers import CachedModelSerializer

from .models import (
    AttributeDefinition,
    AttributeTarget,
    Contact,
    ImportJob,
    Organisation,
    Segment,
)


class OrganisationSerializer(CachedModelSerializer):
    class Meta:
        model = Organisation
        fields = ["id", "name", "domains", "notes", "attributes", "created_at", "updated_at"]
        read_only_fields = ["id", "created_at", "updated_at"]

    def validate_domains(self, value) -> list[str]:
        if not isinstance(value, list) or not all(isinstance(d, str) for d in value):
            raise serializers.ValidationError("A list of domain names is required.")
        return value  # Organisation.save() writes them in one spelling


class ContactSerializer(CachedModelSerializer):
    other_emails = serializers.SerializerMethodField()
    tags = serializers.SerializerMethodField()
    organisation_name = serializers.CharField(
        source="organisation.name", default=None, read_only=True
    )
    has_account = serializers.SerializerMethodField()

    class Meta:
        model = Contact
        fields = [
            "id",
            "name",
            "email",
            "other_emails",
            "phone",
            "language",
            "time_zone",
            "organisation",
            "organisation_name",
            "tags",
            "notes",
            "attributes",
            "has_account",
            "erased_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_other_emails(self, contact: Contact) -> list[str]:
        return [e.email for e in contact.other_emails.all()]

    def get_tags(self, contact: Contact) -> list[str]:
        return [t.name for t in contact.tags.all()]

    def get_has_account(self, contact: Contact) -> bool:
        return contact.user_id is not None


class ContactWriteSerializer(serializers.Serializer):
    """Create (email required) or change a contact; attributes are checked by their types."""

    email = serializers.EmailField(required=False)
    name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    phone = serializers.CharField(max_length=40, required=False, allow_blank=True)
    language = serializers.ChoiceField(choices=[*settings.LANGUAGES, ("", "")], required=False)
    time_zone = serializers.CharField(max_length=64, required=False, allow_blank=True)
    organisation = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.all(), required=False, allow_null=True
    )
    tags = serializers.ListField(child=serializers.CharField(max_length=50), required=False)
    notes = serializers.CharField(required=False, allow_blank=True)
    attributes = serializers.DictField(required=False)
    other_emails = serializers.ListField(child=serializers.EmailField(), required=False)

    def validate_time_zone(self, value: str) -> str:
        import zoneinfo

        if value:
            try:
                zoneinfo.ZoneInfo(value)
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                raise serializers.ValidationError("An IANA time zone is required.") from None
        return value


class AttributeDefinitionSerializer(CachedModelSerializer):
    class Meta:
        model = AttributeDefinition
        fields = ["id", "target", "key", "label", "type", "choices", "is_required"]

    def validate(self, data: dict) -> dict:
        kind = data.get("type", getattr(self.instance, "type", ""))
        choices = data.get("choices", getattr(self.instance, "choices", []))
        if kind == "choice" and not choices:
            raise serializers.ValidationError({"choices": "A choice attribute needs choices."})
        if not isinstance(choices, list) or not all(isinstance(c, str) for c in choices):
            raise serializers.ValidationError({"choices": "A list of strings is required."})
        return data


class SegmentSerializer(CachedModelSerializer):
    class Meta:
        model = Segment
        fields = ["id", "name", "filters", "created_at"]
        read_only_fields = ["id", "created_at"]


class TimelineItemSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    channel = serializers.CharField()
    occurred_at = serializers.DateTimeField()
    label = serializers.CharField()
    title = serializers.CharField()
    url = serializers.CharField()
    data = serializers.DictField()


class TimelinePageSerializer(serializers.Serializer):
    results = TimelineItemSerializer(many=True)
    next_cursor = serializers.CharField(allow_blank=True)


class ContactPageSerializer(serializers.Serializer):
    results = ContactSerializer(many=True)
    next_cursor = serializers.CharField(allow_blank=True)


class ContactMergeSerializer(serializers.Serializer):
    source = serializers.IntegerField(help_text="The duplicate contact, folded into this one.")


class ImportJobSerializer(CachedModelSerializer):
    percent = serializers.IntegerField(read_only=True)
    # A plain string: one more "status" enum would collide with the others in the schema.
    status = serializers.CharField(read_only=True, help_text="pending, running, done or failed")

    class Meta:
        model = ImportJob
        fields = [
            "id",
            "kind",
            "status",
            "total_rows",
            "processed_rows",
            "percent",
            "created_count",
            "updated_count",
            "error_count",
            "errors",
            "message",
            "created_at",
            "finished_at",
        ]
        read_only_fields = fields


class ImportUploadSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=AttributeTarget.choices)
    file = serializers.FileField()
