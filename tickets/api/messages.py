"""Ticket API: the conversation (replies, internal notes) and attachments.

Customers never receive internal notes, system events or files attached to them: the
queryset is narrowed before anything is serialised, not filtered in the template.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.generics import GenericAPIView
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from ..models import Attachment, Channel, Message, MessageKind, Ticket
from ..services import add_message
from . import serializers as s
from .common import (
    NOT_FOUND,
    RULE_BROKEN,
    STALE,
    TAGS,
    TicketAPIView,
    expected_version,
    is_agent,
    requester_contact,
)
from .filters import MessageCursorPagination

PARSERS = [JSONParser, MultiPartParser, FormParser]
MESSAGE_BODY = {
    "application/json": s.AgentMessageCreateSerializer,
    "multipart/form-data": s.AgentMessageCreateSerializer,
}


def _messages_for(request: Request, ticket: Ticket) -> QuerySet[Message]:
    messages = (
        Message.objects.filter(ticket=ticket)
        .select_related("author_user", "author_contact")
        .prefetch_related("attachments")
    )
    return messages if is_agent(request) else messages.filter(kind=MessageKind.PUBLIC)


def _post_message(request: Request, ticket: Ticket, data: dict[str, Any]) -> Response:
    """Run add_message for an agent or the requester; answers 201 with the new message."""
    agent = is_agent(request)
    version = expected_version(request, data.get("version"), required=False)
    message = add_message(
        ticket=ticket,
        body=data.get("body") or _files_note(data.get("files", [])),
        author_user=request.user,
        author_contact=None if agent else requester_contact(request),
        is_internal=data.get("internal", False),
        new_status=data.get("status"),
        files=data.get("files", []),
        expected_version=version,
        channel=Channel.API,
    )
    message = _messages_for(request, ticket).get(pk=message.pk)
    return Response(s.MessageSerializer(message).data, status=status.HTTP_201_CREATED)


def _files_note(files: list) -> str:
    return "Attached: " + ", ".join(f.name for f in files) if files else ""


class MessageListView(TicketAPIView, GenericAPIView):
    pagination_class = MessageCursorPagination
    queryset = Message.objects.none()  # for the schema; rows come from _messages_for()
    serializer_class = s.MessageSerializer
    parser_classes = PARSERS

    @extend_schema(
        operation_id="tickets_messages_list",
        summary="The conversation, oldest first (customers: public replies only)",
        tags=TAGS,
        responses={200: s.MessageSerializer(many=True), 404: NOT_FOUND},
    )
    def get(self, request: Request, pk: int) -> Response:
        ticket = self.visible_ticket(pk)
        page = self.paginate_queryset(_messages_for(request, ticket))
        return self.get_paginated_response(s.MessageSerializer(page, many=True).data)

    @extend_schema(
        operation_id="tickets_messages_create",
        summary="Reply, or (agents) write an internal note and optionally set the status",
        description="Customers send `body` (and `files`) only. `version`/If-Match is optional "
        "here; when sent, a stale one is a 409.",
        tags=TAGS,
        request=MESSAGE_BODY,
        responses={201: s.MessageSerializer, 400: RULE_BROKEN, 404: NOT_FOUND, 409: STALE},
    )
    def post(self, request: Request, pk: int) -> Response:
        ticket = self.visible_ticket(pk)
        serializer_class = (
            s.AgentMessageCreateSerializer
            if is_agent(request)
            else s.CustomerMessageCreateSerializer
        )
        serializer = serializer_class(data=request.data)
        serializer.is_valid(raise_exception=True)
        return _post_message(request, ticket, serializer.validated_data)


class AttachmentListView(TicketAPIView):
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        operation_id="tickets_attachments_list",
        summary="The ticket's files with their download URLs",
        description="Customers do not see files attached to internal notes.",
        tags=TAGS,
        responses={200: s.AttachmentSerializer(many=True), 404: NOT_FOUND},
    )
    def get(self, request: Request, pk: int) -> Response:
        ticket = self.visible_ticket(pk)
        files = Attachment.objects.filter(ticket=ticket).order_by("created_at", "id")
        if not is_agent(request):
            files = files.filter(message__kind=MessageKind.PUBLIC)
        return Response(s.AttachmentSerializer(files, many=True).data)

    @extend_schema(
        operation_id="tickets_attachments_create",
        summary="Upload files as a new message (agents: `internal` for a note)",
        tags=TAGS,
        request={"multipart/form-data": s.AttachmentUploadSerializer},
        responses={
            201: OpenApiResponse(s.MessageSerializer, description="The new message."),
            400: RULE_BROKEN,
            404: NOT_FOUND,
        },
    )
    def post(self, request: Request, pk: int) -> Response:
        ticket = self.visible_ticket(pk)
        serializer = s.AttachmentUploadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        if not is_agent(request) and data.get("internal"):
            return Response(
                {"internal": ["Only agents can write internal notes."]},
                status=status.HTTP_400_BAD_REQUEST,
            )
        return _post_message(request, ticket, data)
