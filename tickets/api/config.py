"""Configuration API for helpdesk admins (calendars, SLA policies, automations, webhooks,
queue routing) and the agents' own endpoints (availability, macros)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import generics
from rest_framework.authentication import SessionAuthentication
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from helpdesk.api_auth import CachedTokenAuthentication
from helpdesk.permissions import IsAgent, IsHelpdeskAdmin

from .. import automation as rules
from ..models import (
    AgentStatus,
    Automation,
    BusinessHours,
    Macro,
    Queue,
    SlaPolicy,
    Webhook,
    WebhookDelivery,
)
from ..services.automations import apply_macro, macro_for, preview
from ..services.routing import set_availability
from . import config_serializers as cs
from .common import (
    IF_MATCH,
    NOT_FOUND,
    RULE_BROKEN,
    STALE,
    TicketAPIView,
    expected_version,
    ticket_response,
)

AUTH = [CachedTokenAuthentication, SessionAuthentication]
CONFIG_TAGS = ["configuration"]


class AdminAPIMixin:
    authentication_classes = AUTH
    permission_classes = [IsHelpdeskAdmin]


def _crud(model, serializer, name: str, queryset=None):
    """A list/create view and a retrieve/update/delete view for one config model."""
    qs = queryset if queryset is not None else model.objects.all()
    schema = {"tags": CONFIG_TAGS}

    @extend_schema_view(
        get=extend_schema(operation_id=f"{name}_list", summary=f"List {name}", **schema),
        post=extend_schema(
            operation_id=f"{name}_create", summary=f"Create one of {name}", **schema
        ),
    )
    class ListCreate(AdminAPIMixin, generics.ListCreateAPIView):
        queryset = qs
        serializer_class = serializer
        pagination_class = None

    @extend_schema_view(
        get=extend_schema(operation_id=f"{name}_retrieve", **schema),
        put=extend_schema(operation_id=f"{name}_update", **schema),
        patch=extend_schema(operation_id=f"{name}_partial_update", **schema),
        delete=extend_schema(operation_id=f"{name}_destroy", **schema),
    )
    class Detail(AdminAPIMixin, generics.RetrieveUpdateDestroyAPIView):
        queryset = qs
        serializer_class = serializer

    ListCreate.__name__ = f"{model.__name__}ListCreate"
    Detail.__name__ = f"{model.__name__}Detail"
    return ListCreate, Detail


CalendarList, CalendarDetail = _crud(
    BusinessHours,
    cs.BusinessHoursSerializer,
    "calendars",
    BusinessHours.objects.prefetch_related("holidays"),
)
SlaPolicyList, SlaPolicyDetail = _crud(
    SlaPolicy,
    cs.SlaPolicySerializer,
    "sla_policies",
    SlaPolicy.objects.prefetch_related("queues", "organisations"),
)
AutomationList, AutomationDetail = _crud(Automation, cs.AutomationSerializer, "automations")
WebhookList, WebhookDetail = _crud(Webhook, cs.WebhookSerializer, "webhooks")
MacroAdminList, MacroAdminDetail = _crud(Macro, cs.MacroSerializer, "macros_admin")


@extend_schema_view(
    get=extend_schema(
        tags=CONFIG_TAGS,
        operation_id="webhook_deliveries_list",
        summary="The newest deliveries of a webhook (the delivery log)",
    )
)
class WebhookDeliveryList(AdminAPIMixin, generics.ListAPIView):
    serializer_class = cs.WebhookDeliverySerializer
    pagination_class = None
    queryset = WebhookDelivery.objects.none()  # for the schema

    def get_queryset(self) -> Any:
        return WebhookDelivery.objects.filter(webhook_id=self.kwargs["pk"])[:100]


class AutomationPreview(AdminAPIMixin, APIView):
    @extend_schema(
        tags=CONFIG_TAGS,
        operation_id="automations_preview",
        request=None,
        summary="Dry run: the tickets this automation would change now (nothing is changed)",
        responses={200: cs.AutomationPreviewSerializer(many=True), 404: NOT_FOUND},
    )
    def post(self, request: Request, pk: int) -> Response:
        automation = generics.get_object_or_404(Automation, pk=pk)
        rows = [
            {
                "ticket": r["ticket"].pk,
                "reference": r["ticket"].reference,
                "subject": r["ticket"].subject,
                "actions": r["actions"],
            }
            for r in preview(automation)
        ]
        return Response(cs.AutomationPreviewSerializer(rows, many=True).data)


@extend_schema_view(
    get=extend_schema(tags=CONFIG_TAGS, operation_id="queue_routing_retrieve"),
    put=extend_schema(tags=CONFIG_TAGS, operation_id="queue_routing_update"),
    patch=extend_schema(tags=CONFIG_TAGS, operation_id="queue_routing_partial_update"),
)
class QueueRouting(AdminAPIMixin, generics.RetrieveUpdateAPIView):
    """A queue's routing strategy and business-hours calendar."""

    queryset = Queue.objects.all()
    serializer_class = cs.QueueRoutingSerializer


class MyAgentStatus(APIView):
    """The signed-in agent's availability, capacity and skills."""

    authentication_classes = AUTH
    permission_classes = [IsAgent]

    @extend_schema(
        tags=CONFIG_TAGS,
        operation_id="agent_status_retrieve",
        responses={200: cs.AgentStatusSerializer},
    )
    def get(self, request: Request) -> Response:
        status, _ = AgentStatus.objects.get_or_create(user=request.user)
        return Response(cs.AgentStatusSerializer(status).data)

    @extend_schema(
        tags=CONFIG_TAGS,
        operation_id="agent_status_update",
        request=cs.AgentStatusSerializer,
        responses={200: cs.AgentStatusSerializer, 400: RULE_BROKEN},
    )
    def put(self, request: Request) -> Response:
        serializer = cs.AgentStatusSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        extra = {k: data[k] for k in ("capacity", "skills") if k in data}
        status = set_availability(user=request.user, availability=data["availability"], **extra)
        return Response(cs.AgentStatusSerializer(status).data)


@extend_schema_view(
    get=extend_schema(
        tags=CONFIG_TAGS, operation_id="macros_list", summary="Active macros (for agents)"
    )
)
class MacroList(generics.ListAPIView):
    authentication_classes = AUTH
    permission_classes = [IsAgent]
    serializer_class = cs.MacroSerializer
    pagination_class = None
    queryset = Macro.objects.filter(is_active=True)


class MacroApply(TicketAPIView):
    @extend_schema(
        tags=["tickets"],
        operation_id="tickets_apply_macro",
        parameters=[IF_MATCH],
        request=cs.MacroApplySerializer,
        summary="Apply a macro's actions to the ticket",
        responses={
            200: OpenApiResponse(description="The ticket after the macro."),
            400: RULE_BROKEN,
            404: NOT_FOUND,
            409: STALE,
        },
    )
    def post(self, request: Request, pk: int, macro_id: int) -> Response:
        ticket = self.agent_ticket(pk)
        macro = macro_for(ticket, macro_id)  # active, and for this ticket's queue (or any)
        if macro is None:
            raise NotFound("There is no such macro for this ticket.")
        body = cs.MacroApplySerializer(data=request.data)
        body.is_valid(raise_exception=True)
        version = expected_version(request, body.validated_data.get("version"), required=False)
        try:
            ticket = apply_macro(ticket, macro, actor=request.user, expected_version=version)
        except rules.AutomationSpecError as exc:  # saved around validation
            raise ValidationError({"macro": str(exc)}) from exc
        return ticket_response(request, ticket)
