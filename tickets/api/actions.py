"""Ticket API: one-shot actions (assign, merge, link, rate) and the agents' lookups."""

from __future__ import annotations

from django.db.models import Q
from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from helpdesk.permissions import IsAgent

from .. import selectors
from ..models import CannedResponse, Queue, Ticket
from ..services import assign_ticket, link_tickets, merge_tickets, rate_ticket
from . import serializers as s
from .common import (
    FORBIDDEN,
    IF_MATCH,
    NOT_FOUND,
    RULE_BROKEN,
    STALE,
    TAGS,
    TicketAPIView,
    expected_version,
    requester_contact,
    ticket_response,
)

ACTION_RESPONSES = {
    200: s.TicketDetailSerializer,
    400: RULE_BROKEN,
    403: FORBIDDEN,
    404: NOT_FOUND,
}


def _other_visible(request: Request, pk: int, field: str) -> Ticket:
    """A ticket named in the body: one the caller may see, else a field error (no IDOR)."""
    other = selectors.visible_tickets(request.user).filter(pk=pk).first()
    if other is None:
        raise ValidationError({field: [f"There is no ticket {pk} that you can see."]})
    return other


class AssignView(TicketAPIView):
    @extend_schema(
        operation_id="tickets_assign",
        summary="Assign to an agent, unassign (null) or take it yourself",
        description="A new ticket becomes open when assigned. Version optional (If-Match).",
        tags=TAGS,
        parameters=[IF_MATCH],
        request=s.AssignSerializer,
        responses={**ACTION_RESPONSES, 409: STALE},
    )
    def post(self, request: Request, pk: int) -> Response:
        ticket = self.agent_ticket(pk)
        serializer = s.AssignSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        assignee = request.user if data.get("take") else data["assignee"]
        version = expected_version(request, data.get("version"), required=False)
        ticket = assign_ticket(
            ticket=ticket, assignee=assignee, actor=request.user, expected_version=version
        )
        return ticket_response(request, ticket)


class MergeView(TicketAPIView):
    @extend_schema(
        operation_id="tickets_merge",
        summary="Merge this ticket into another; this one is closed and points there",
        tags=TAGS,
        request=s.MergeSerializer,
        responses=ACTION_RESPONSES,
    )
    def post(self, request: Request, pk: int) -> Response:
        ticket = self.agent_ticket(pk)
        serializer = s.MergeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        target = _other_visible(request, serializer.validated_data["into"], "into")
        target = merge_tickets(source=ticket, target=target, actor=request.user)
        return ticket_response(request, target)


class LinkView(TicketAPIView):
    @extend_schema(
        operation_id="tickets_link",
        summary="Mark another ticket as related (idempotent)",
        tags=TAGS,
        request=s.LinkSerializer,
        responses=ACTION_RESPONSES,
    )
    def post(self, request: Request, pk: int) -> Response:
        ticket = self.agent_ticket(pk)
        serializer = s.LinkSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        other = _other_visible(request, serializer.validated_data["other"], "other")
        link_tickets(ticket=ticket, other=other, actor=request.user)
        return ticket_response(request, ticket)


class RateView(TicketAPIView):
    @extend_schema(
        operation_id="tickets_rate",
        summary="The requester rates a solved ticket: good or bad, with a comment",
        tags=TAGS,
        request=s.RateSerializer,
        responses=ACTION_RESPONSES,
    )
    def post(self, request: Request, pk: int) -> Response:
        ticket = self.visible_ticket(pk)
        contact = requester_contact(request)
        if request.user.is_agent or contact is None or contact.pk != ticket.requester_id:
            raise PermissionDenied("Only the requester can rate this ticket.")
        serializer = s.RateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        rate_ticket(ticket=ticket, rating=data["rating"], comment=data["comment"], contact=contact)
        return ticket_response(request, ticket)


class QueueListView(TicketAPIView):
    permission_classes = [IsAgent]

    @extend_schema(
        operation_id="queues_list",
        summary="All queues (agents)",
        tags=TAGS,
        responses={200: s.QueueSerializer(many=True)},
    )
    def get(self, request: Request) -> Response:
        return Response(s.QueueSerializer(Queue.objects.all(), many=True).data)


class CannedResponseListView(TicketAPIView):
    permission_classes = [IsAgent]

    @extend_schema(
        operation_id="canned_responses_list",
        summary="Saved replies: those for every queue, plus the given queue's",
        tags=TAGS,
        parameters=[s.CannedResponseQuerySerializer],
        responses={200: s.CannedResponseSerializer(many=True)},
    )
    def get(self, request: Request) -> Response:
        query = s.CannedResponseQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        queue = query.validated_data.get("queue")
        wanted = Q(queue__isnull=True) | Q(queue_id=queue) if queue else Q(queue__isnull=True)
        replies = CannedResponse.objects.filter(wanted)
        return Response(s.CannedResponseSerializer(replies, many=True).data)
