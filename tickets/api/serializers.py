"""Ticket API serializers: strict input bodies (validate only) and read-only output shapes."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.urls import NoReverseMatch
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from helpdesk.models import Role, User
from helpdesk.serializers import CachedModelSerializer

from ..models import Attachment, CannedResponse, Channel, Message, Priority, Queue, Status, Ticket

MAX_TAGS = 20
MAX_FILES = 10
AGENT_ONLY_FIELDS = ("priority", "queue", "assignee", "requester", "tags", "sla")


@extend_schema_field(
    {"type": "string", "enum": list(Status.values)}, component_name="TicketStatusEnum"
)
class StatusField(serializers.ChoiceField):
    """A ticket status; an inline enum, as other apps' `status` enums take the plain name."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=Status.choices, **kwargs)


@extend_schema_field({"type": "string", "enum": ["good", "bad"]})
class RatingField(serializers.ChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=[("good", "Good"), ("bad", "Bad")], **kwargs)


# --- Request bodies ---------------------------------------------------------------------------


class StrictInputSerializer(serializers.Serializer):
    """A body that names every undeclared field as an error: no mass assignment, no silent drop.

    A customer sending `assignee` or `internal` gets 400 naming that field, so a client never
    believes a field was applied when it was not.
    """

    def to_internal_value(self, data: Any) -> dict:
        unknown = sorted(set(data) - set(self.fields)) if isinstance(data, Mapping) else []
        errors: dict[str, Any] = {name: ["This field cannot be set here."] for name in unknown}
        try:
            value = super().to_internal_value(data)
        except serializers.ValidationError as exc:
            raise serializers.ValidationError({**errors, **exc.detail}) from exc
        if errors:
            raise serializers.ValidationError(errors)
        return value


def _agents() -> Any:
    return User.objects.filter(is_active=True, role__in=(Role.AGENT, Role.ADMIN))


def _assignee_field(**kwargs: Any) -> serializers.PrimaryKeyRelatedField:
    return serializers.PrimaryKeyRelatedField(
        queryset=_agents(),
        allow_null=True,
        error_messages={"does_not_exist": "There is no active agent with id {pk_value}."},
        **kwargs,
    )


def _queue_field(**kwargs: Any) -> serializers.PrimaryKeyRelatedField:
    return serializers.PrimaryKeyRelatedField(
        queryset=Queue.objects.all(),
        error_messages={"does_not_exist": "There is no queue with id {pk_value}."},
        **kwargs,
    )


def _tags_field(**kwargs: Any) -> serializers.ListField:
    return serializers.ListField(
        child=serializers.CharField(max_length=50),
        max_length=MAX_TAGS,
        help_text="Tag names; they are slugified. Replaces the ticket's tags.",
        **kwargs,
    )


def _files_field() -> serializers.ListField:
    return serializers.ListField(
        child=serializers.FileField(allow_empty_file=False),
        max_length=MAX_FILES,
        required=False,
        help_text="Files to attach (multipart/form-data).",
    )


def _version_field() -> serializers.IntegerField:
    return serializers.IntegerField(
        min_value=1, required=False, help_text="The version you read (or send an If-Match header)."
    )


class CustomerTicketCreateSerializer(StrictInputSerializer):
    """What a signed-in customer may send when opening a ticket for themselves."""

    subject = serializers.CharField(max_length=250)
    body = serializers.CharField(max_length=50_000, help_text="Plain text or Markdown.")
    files = _files_field()


class AgentTicketCreateSerializer(CustomerTicketCreateSerializer):
    """An agent (or an integration's token) opening a ticket on behalf of a requester."""

    requester_email = serializers.EmailField()
    requester_name = serializers.CharField(max_length=200, required=False, default="")
    channel = serializers.ChoiceField(choices=Channel.choices, default=Channel.API)
    queue = _queue_field(required=False, allow_null=True)
    priority = serializers.ChoiceField(choices=Priority.choices, default=Priority.NORMAL)
    tags = _tags_field(required=False)


class TicketUpdateSerializer(StrictInputSerializer):
    status = StatusField(required=False)
    priority = serializers.ChoiceField(choices=Priority.choices, required=False)
    queue = _queue_field(required=False)
    assignee = _assignee_field(required=False)
    subject = serializers.CharField(max_length=250, required=False)
    tags = _tags_field(required=False)
    version = _version_field()


class CustomerMessageCreateSerializer(StrictInputSerializer):
    body = serializers.CharField(max_length=50_000, help_text="Plain text or Markdown.")
    files = _files_field()


class AgentMessageCreateSerializer(CustomerMessageCreateSerializer):
    internal = serializers.BooleanField(default=False, help_text="An internal note (agents only).")
    status = StatusField(required=False, help_text='"Send and set status".')
    version = _version_field()


class AttachmentUploadSerializer(StrictInputSerializer):
    files = serializers.ListField(
        child=serializers.FileField(allow_empty_file=False), min_length=1, max_length=MAX_FILES
    )
    body = serializers.CharField(max_length=50_000, required=False, default="")
    internal = serializers.BooleanField(default=False, help_text="Agents only.")


class AssignSerializer(StrictInputSerializer):
    assignee = _assignee_field(required=False, help_text="An agent's id, or null to unassign.")
    take = serializers.BooleanField(required=False, help_text="true: assign it to yourself.")
    version = _version_field()

    def validate(self, attrs: dict) -> dict:
        if ("assignee" in attrs) == bool(attrs.get("take")):
            raise serializers.ValidationError('Send either "assignee" or "take": true.')
        return attrs


class MergeSerializer(StrictInputSerializer):
    into = serializers.IntegerField(help_text="The ticket that receives this conversation.")


class LinkSerializer(StrictInputSerializer):
    other = serializers.IntegerField(help_text="The related ticket.")


class RateSerializer(StrictInputSerializer):
    rating = RatingField()
    comment = serializers.CharField(max_length=2000, required=False, default="", allow_blank=True)


class CannedResponseQuerySerializer(serializers.Serializer):
    queue = serializers.IntegerField(required=False, help_text="Also those of this queue.")


# --- Responses -------------------------------------------------------------------------------


class PersonSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)


class RequesterSerializer(PersonSerializer):
    email = serializers.EmailField(read_only=True)


class QueueRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)


class SlaTargetSerializer(serializers.Serializer):
    due_at = serializers.DateTimeField()
    seconds_left = serializers.IntegerField(help_text="Negative once overdue.")
    is_breached = serializers.BooleanField()


class SlaTargetsSerializer(serializers.Serializer):
    first_response = SlaTargetSerializer(allow_null=True)
    next_response = SlaTargetSerializer(allow_null=True)
    resolution = SlaTargetSerializer(allow_null=True)


@extend_schema_field(
    {"type": "string", "enum": ["ok", "warning", "breached"], "nullable": True},
    component_name="SlaStatusEnum",
)
class SlaStatusField(serializers.ChoiceField):
    def __init__(self, **kwargs) -> None:
        super().__init__(choices=["ok", "warning", "breached"], allow_null=True, **kwargs)


class TicketSlaSerializer(serializers.Serializer):
    policy = serializers.IntegerField()
    status = SlaStatusField()
    next_due_at = serializers.DateTimeField(allow_null=True)
    is_paused = serializers.BooleanField(help_text="Waiting on the customer: clocks stopped.")
    targets = SlaTargetsSerializer()


class TicketListItemSerializer(CachedModelSerializer):
    """One row of a list. Agent-only fields are left out for customers."""

    reference = serializers.CharField(read_only=True)
    status = StatusField(read_only=True)
    queue = QueueRefSerializer(read_only=True, allow_null=True, help_text="Agents only.")
    assignee = PersonSerializer(read_only=True, allow_null=True, help_text="Agents only.")
    requester = RequesterSerializer(read_only=True, help_text="Agents only.")
    tags = serializers.SerializerMethodField(help_text="Agents only.")
    sla = serializers.SerializerMethodField(help_text="SLA due times (agents only; null: none).")

    class Meta:
        model = Ticket
        fields = [
            "id", "reference", "subject", "status", "priority", "channel", "queue", "assignee",
            "requester", "tags", "sla", "version", "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = fields

    @extend_schema_field(TicketSlaSerializer(allow_null=True))
    def get_sla(self, ticket: Ticket) -> dict | None:
        from ..services.sla import describe

        return describe(getattr(ticket, "sla", None))  # select_related by the views

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_tags(self, ticket: Ticket) -> list[str]:
        return sorted(tag.name for tag in ticket.tags.all())  # prefetched

    def to_representation(self, instance: Ticket) -> dict:
        data = super().to_representation(instance)
        if not self.context.get("is_agent"):
            for name in AGENT_ONLY_FIELDS:
                data.pop(name, None)
        return data


class TicketDetailSerializer(TicketListItemSerializer):
    merged_into = serializers.SerializerMethodField()
    links = serializers.SerializerMethodField(help_text="Related ticket ids (agents only).")

    class Meta(TicketListItemSerializer.Meta):
        fields = [
            *TicketListItemSerializer.Meta.fields, "language", "first_response_at", "solved_at",
            "closed_at", "merged_into", "links", "satisfaction", "satisfaction_comment", "rated_at",
        ]  # fmt: skip
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.INT)
    def get_merged_into(self, ticket: Ticket) -> int | None:
        return ticket.merged_into_id

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_links(self, ticket: Ticket) -> list[int]:
        return self.context.get("links", [])

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_tags(self, ticket: Ticket) -> list[str]:
        # A ticket just created: its tags as create_ticket set them, like its links (none).
        return self.context["tags"] if "tags" in self.context else super().get_tags(ticket)

    def to_representation(self, instance: Ticket) -> dict:
        data = super().to_representation(instance)
        if not self.context.get("is_agent"):
            data.pop("links", None)
        return data


class StaleTicketSerializer(serializers.Serializer):
    detail = serializers.CharField()
    current = TicketDetailSerializer()


class AttachmentSerializer(CachedModelSerializer):
    url = serializers.SerializerMethodField(help_text="Download URL (permission-checked).")

    class Meta:
        model = Attachment
        fields = ["id", "message", "filename", "content_type", "size", "url", "created_at"]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.STR)
    def get_url(self, attachment: Attachment) -> str | None:
        try:
            return attachment.get_absolute_url()
        except NoReverseMatch:  # the download route ships with the attachments view
            return None


class MessageSerializer(CachedModelSerializer):
    author = serializers.SerializerMethodField()
    attachments = AttachmentSerializer(many=True, read_only=True)

    class Meta:
        model = Message
        fields = [
            "id",
            "kind",
            "author",
            "body",
            "body_html",
            "channel",
            "created_at",
            "attachments",
        ]
        read_only_fields = fields

    @extend_schema_field(
        {
            "type": "object",
            "properties": {
                "type": {"type": "string", "enum": ["agent", "customer", "system"]},
                "name": {"type": "string"},
            },
        }
    )
    def get_author(self, message: Message) -> dict[str, str]:
        if message.kind == "system":
            return {"type": "system", "name": ""}
        if message.author_user_id:
            return {"type": "agent", "name": message.author_user.get_short_name()}
        contact = message.author_contact
        return {"type": "customer", "name": contact.display_name if contact else ""}


class QueueSerializer(CachedModelSerializer):
    class Meta:
        model = Queue
        fields = ["id", "name", "slug", "is_default"]
        read_only_fields = fields


class CannedResponseSerializer(CachedModelSerializer):
    class Meta:
        model = CannedResponse
        fields = ["id", "title", "body", "language", "queue"]
        read_only_fields = fields
