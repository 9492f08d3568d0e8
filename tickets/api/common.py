"""Shared pieces of the ticket API: base view, error mapping, versions, the ticket response."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import status
from rest_framework.authentication import SessionAuthentication
from rest_framework.exceptions import APIException, PermissionDenied
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from customers.models import Contact
from helpdesk.api_auth import CachedTokenAuthentication

from .. import selectors
from ..models import Ticket, TicketLink
from ..services import StaleTicket, TicketError
from . import serializers as s

TAGS = ["tickets"]
NOT_FOUND = OpenApiResponse(description="No such ticket, or you may not see it (never 403).")
RULE_BROKEN = OpenApiResponse(
    description="Invalid input (errors per field), or a ticket rule was broken (`detail`)."
)
FORBIDDEN = OpenApiResponse(description="You can see the ticket but this action is for agents.")
STALE = OpenApiResponse(
    s.StaleTicketSerializer, description="Changed by someone else: `current` is the ticket now."
)
VERSION_REQUIRED = OpenApiResponse(description="Send If-Match or `version`.")
IF_MATCH = OpenApiParameter(
    "If-Match",
    str,
    OpenApiParameter.HEADER,
    description='The ticket version you read, as its ETag ("3"); or send `version` in the body.',
)


class PreconditionRequired(APIException):
    status_code = 428
    default_detail = "Send the ticket version you read: an If-Match header or a `version` field."
    default_code = "version_required"


class TicketAPIView(APIView):
    """Token first (integrations; anonymous callers get 401), then the UI's session + CSRF."""

    authentication_classes = [CachedTokenAuthentication, SessionAuthentication]
    permission_classes = [IsAuthenticated]

    def handle_exception(self, exc: Exception) -> Response:
        # A service's messages are safe to show; a stale write also returns the ticket as it
        # is now so the client can show what changed and retry.
        if isinstance(exc, StaleTicket):
            body = {"detail": str(exc), "current": ticket_data(self.request, exc.current)}
            return Response(body, status=status.HTTP_409_CONFLICT)
        if isinstance(exc, TicketError):
            return Response({"detail": str(exc)}, status=status.HTTP_400_BAD_REQUEST)
        return super().handle_exception(exc)

    def visible_ticket(self, pk: int) -> Ticket:
        return selectors.get_visible_ticket(self.request.user, pk)

    def agent_ticket(self, pk: int) -> Ticket:
        """The ticket for an agent action: 404 if unseen, 403 for a customer who sees it."""
        ticket = self.visible_ticket(pk)
        if not self.request.user.is_agent:
            raise PermissionDenied("Only agents can do this.")
        return ticket


def is_agent(request: Request) -> bool:
    return bool(getattr(request.user, "is_agent", False))


def ticket_data(request: Request, ticket: Ticket, *, created: bool = False) -> dict[str, Any]:
    """The detail representation, reloaded (a service may have changed it): 3 queries.

    A ticket this request created has no links yet and, unless a "created" automation changed
    it, is serialised as create_ticket() returned it (its requester, queue and SLA state are
    already attached, its tags named by it): no query (+1 for a routed assignee)."""
    if created and getattr(ticket, "changed_after_create", True) is False:
        fresh = ticket
    else:
        fresh = (
            Ticket.objects.select_related("queue", "assignee", "requester", "sla")
            .prefetch_related("tags")
            .get(pk=ticket.pk)
        )
    context: dict[str, Any] = {"request": request, "is_agent": is_agent(request)}
    if created:
        context["links"] = []
        if fresh is ticket:
            context["tags"] = ticket.tag_names
    elif context["is_agent"]:
        pairs = TicketLink.objects.filter(Q(ticket=fresh) | Q(other=fresh))
        context["links"] = sorted(
            other if mine == fresh.pk else mine
            for mine, other in pairs.values_list("ticket_id", "other_id")
        )
    return s.TicketDetailSerializer(fresh, context=context).data


def ticket_response(request: Request, ticket: Ticket, code: int = status.HTTP_200_OK) -> Response:
    data = ticket_data(request, ticket, created=code == status.HTTP_201_CREATED)
    return Response(data, status=code, headers={"ETag": f'"{data["version"]}"'})


def expected_version(request: Request, body_version: int | None, *, required: bool) -> int | None:
    """The version from If-Match ("3", W/"3" or 3) or the body; 428 if required and missing."""
    header = request.headers.get("If-Match", "").strip()
    from_header = None
    if header and header != "*":
        raw = header.removeprefix("W/").strip('"')
        if not raw.isdigit():
            raise TicketError('If-Match must be the ticket\'s ETag, e.g. "3".')
        from_header = int(raw)
    if from_header is not None and body_version is not None and from_header != body_version:
        raise TicketError("If-Match and `version` disagree; send one of them.")
    version = from_header if from_header is not None else body_version
    if version is None and required:
        raise PreconditionRequired()
    return version


def requester_contact(request: Request) -> Contact | None:
    """The signed-in customer's contact (None for agents or customers without one)."""
    return Contact.objects.filter(user=request.user).first()
