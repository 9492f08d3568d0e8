"""Ticket API: list, create (idempotent), detail and field updates (optimistic locking).

Who sees what is `tickets.selectors`' rule (404 for everyone else); every write is a
`tickets.services` call. Messages, attachments and actions live in the sibling modules.
"""

from __future__ import annotations

from typing import Any

from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    PolymorphicProxySerializer,
    extend_schema,
)
from rest_framework import status
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import UserRateThrottle

from customers.services import contact_for_user, get_or_create_contact

from .. import selectors
from ..models import Channel, IdempotencyKey, Ticket
from ..services import TicketError, create_ticket, update_ticket
from . import serializers as s
from .common import (
    FORBIDDEN,
    IF_MATCH,
    NOT_FOUND,
    RULE_BROKEN,
    STALE,
    TAGS,
    VERSION_REQUIRED,
    TicketAPIView,
    expected_version,
    is_agent,
    ticket_response,
)
from .filters import TicketCursorPagination, TicketFilter

IDEMPOTENCY_KEY = OpenApiParameter(
    "Idempotency-Key",
    str,
    OpenApiParameter.HEADER,
    description="Retry-safe creation: the same key (per user) always answers with the same "
    "ticket (201 the first time, 200 after); reused for a different request → 422.",
)
CREATE_BODY = PolymorphicProxySerializer(
    component_name="TicketCreate",
    serializers=[s.AgentTicketCreateSerializer, s.CustomerTicketCreateSerializer],
    resource_type_field_name=None,
)


class CustomerCreateThrottle(UserRateThrottle):
    """Customers open at most 30 tickets an hour; agents and integrations are not limited."""

    scope = "ticket_create"
    rate = "30/hour"

    def allow_request(self, request: Request, view: Any) -> bool:
        if request.method != "POST" or getattr(request.user, "is_agent", False):
            return True
        return super().allow_request(request, view)


class TicketListView(TicketAPIView, GenericAPIView):
    filter_backends = [DjangoFilterBackend]
    filterset_class = TicketFilter
    pagination_class = TicketCursorPagination
    serializer_class = s.TicketListItemSerializer
    throttle_classes = [CustomerCreateThrottle]

    def get_queryset(self) -> Any:
        # tags are prefetched: one more query per page, whatever its size.
        return (
            selectors.visible_tickets(self.request.user)
            .select_related("queue", "assignee", "requester", "sla")
            .prefetch_related("tags")
        )

    @extend_schema(
        operation_id="tickets_list",
        summary="Tickets you may see, most recently updated first (cursor pages, no count)",
        description="Customers get their own tickets without the agent-only fields.",
        tags=TAGS,
        responses={200: s.TicketListItemSerializer(many=True), 400: RULE_BROKEN},
    )
    def get(self, request: Request) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        context = {"request": request, "is_agent": is_agent(request)}
        data = s.TicketListItemSerializer(page, many=True, context=context).data
        return self.get_paginated_response(data)

    @extend_schema(
        operation_id="tickets_create",
        summary="Open a ticket: agents for a requester, customers for themselves",
        description="Customers send `subject`, `body` (and `files`); any other field is a 400 "
        "naming it. Agents also send `requester_email` and may set channel, queue, priority, "
        "tags. JSON or multipart/form-data (for files).",
        tags=TAGS,
        parameters=[IDEMPOTENCY_KEY],
        request=CREATE_BODY,
        responses={
            201: s.TicketDetailSerializer,
            200: OpenApiResponse(s.TicketDetailSerializer, description="Idempotent replay."),
            400: RULE_BROKEN,
            422: OpenApiResponse(description="Idempotency-Key reused for a different request."),
        },
    )
    def post(self, request: Request) -> Response:
        agent = is_agent(request)
        serializer_class = (
            s.AgentTicketCreateSerializer if agent else s.CustomerTicketCreateSerializer
        )
        serializer = serializer_class(data=request.data)
        serializer.is_valid(raise_exception=True)
        key = request.headers.get("Idempotency-Key", "").strip()
        if len(key) > 200:
            raise TicketError("The Idempotency-Key header is longer than 200 characters.")
        scope = f"user:{request.user.pk}"
        is_replay = bool(key) and IdempotencyKey.objects.filter(scope=scope, key=key).exists()
        try:
            ticket = _create(request, serializer.validated_data, agent, key, scope)
        except TicketError as exc:
            if key and IdempotencyKey.objects.filter(scope=scope, key=key).exists():
                return Response({"detail": str(exc)}, status=422)
            raise
        code = status.HTTP_200_OK if is_replay else status.HTTP_201_CREATED
        response = ticket_response(request, ticket, code)
        response["Location"] = f"{request.path}{ticket.pk}/"
        return response


def _create(request: Request, data: dict, agent: bool, key: str, scope: str) -> Ticket:
    common = {
        "subject": data["subject"], "body": data["body"], "files": data.get("files", []),
        "author_user": request.user, "idempotency_key": key, "idempotency_scope": scope,
    }  # fmt: skip
    if not agent:
        requester = contact_for_user(request.user)
        return create_ticket(requester=requester, channel=Channel.API, **common)
    requester = get_or_create_contact(email=data["requester_email"], name=data["requester_name"])
    return create_ticket(
        requester=requester, channel=data["channel"], queue=data.get("queue"),
        priority=data["priority"], tags=data.get("tags", []), **common,
    )  # fmt: skip


class TicketDetailView(TicketAPIView):
    @extend_schema(
        operation_id="tickets_retrieve",
        summary="One ticket, with its version (also the ETag header)",
        tags=TAGS,
        responses={200: s.TicketDetailSerializer, 404: NOT_FOUND},
    )
    def get(self, request: Request, pk: int) -> Response:
        return ticket_response(request, self.visible_ticket(pk))

    @extend_schema(
        operation_id="tickets_partial_update",
        summary="Change status, priority, queue, assignee, subject or tags (agents)",
        description="Send the version you read (If-Match or `version`): a stale one is a 409 "
        "with the current ticket, and nothing is written. `tags` replaces all tags.",
        tags=TAGS,
        parameters=[IF_MATCH],
        request=s.TicketUpdateSerializer,
        responses={
            200: s.TicketDetailSerializer,
            400: RULE_BROKEN,
            403: FORBIDDEN,
            404: NOT_FOUND,
            409: STALE,
            428: VERSION_REQUIRED,
        },
    )
    def patch(self, request: Request, pk: int) -> Response:
        ticket = self.agent_ticket(pk)
        serializer = s.TicketUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        changes = dict(serializer.validated_data)
        version = expected_version(request, changes.pop("version", None), required=True)
        ticket = update_ticket(
            ticket=ticket, actor=request.user, expected_version=version, **changes
        )
        return ticket_response(request, ticket)
