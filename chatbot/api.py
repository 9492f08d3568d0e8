"""Widget API: thin views over chatbot.services, each guarded by origin, token and rate limits."""

from __future__ import annotations

import hashlib
from typing import Any

from django.db.models import Max
from django.http import HttpResponse
from django_ratelimit.core import is_ratelimited
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import (
    APIException,
    NotFound,
    ParseError,
    PermissionDenied,
    Throttled,
)
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from . import cors, services
from . import serializers as s
from .models import Conversation, Widget

TAGS = ["chat"]
TOKEN_HEADER = "X-Chat-Token"  # noqa: S105 - a header name, not a secret
TOKEN = OpenApiParameter(
    TOKEN_HEADER, str, OpenApiParameter.HEADER, required=True,
    description="The conversation's secret token from `start` (never put it in a URL).",
)  # fmt: skip
TOKEN_ERRORS = {
    400: OpenApiResponse(description="Invalid input, or a chat rule was broken (`detail`)."),
    401: OpenApiResponse(description="No X-Chat-Token header."),
    403: OpenApiResponse(description="The Origin is not allowed for this widget (or `null`)."),
    404: OpenApiResponse(description="No conversation for this token."),
    429: OpenApiResponse(description="Too many requests from this address or conversation."),
}
START_ERRORS = {k: v for k, v in TOKEN_ERRORS.items() if k != 401}
TOKEN_RATE = "30/m"  # noqa: S105 - a rate, not a secret


class TokenMissing(APIException):
    # Not DRF's NotAuthenticated: without authenticators DRF would turn that into a 403.
    status_code = status.HTTP_401_UNAUTHORIZED
    default_detail = f"Send the conversation token in the {TOKEN_HEADER} header."
    default_code = "token_missing"


class ChatView(APIView):
    """Base: no cookies or sessions (so no CSRF); origin, token and rate checks in `initial`."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes: list = []
    needs_token = True
    ip_rate = "120/m"
    conversation: Conversation
    allowed_origins: list[str] = []

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        self.allowed_origins = []
        if request.method == "OPTIONS":
            return
        self._limit(f"chat-ip-{type(self).__name__}", "ip", self.ip_rate)
        widget = self.conversation_widget(request) if self.needs_token else self.start_widget()
        self.check_origin(widget)

    def conversation_widget(self, request: Request) -> Widget:
        token = request.headers.get(TOKEN_HEADER, "").strip()
        if not token:
            raise TokenMissing()
        conversation = services.conversation_for_token(token)
        if conversation is None:
            raise NotFound("No such conversation.")
        self.conversation = conversation
        token_hash = services.hash_token(token)
        self._limit("chat-token", lambda group, request: token_hash, TOKEN_RATE)
        return conversation.widget

    def start_widget(self) -> Widget:
        raise NotImplementedError

    def check_origin(self, widget: Widget) -> None:
        origin = cors.request_origin(self.request)
        if cors.origin_refusal(origin, widget.allowed_origins or []) is not None:
            raise PermissionDenied(f"The origin {origin} may not use this chat widget.")
        self.allowed_origins = list(widget.allowed_origins or [])

    def _limit(self, group: str, key: Any, rate: str) -> None:
        if is_ratelimited(self.request, group=group, key=key, rate=rate, increment=True):
            raise Throttled(detail="Too many chat requests; please wait a moment.")

    def options(self, request: Request, *args: Any, **kwargs: Any) -> HttpResponse:
        """CORS preflight; `?key=` names the widget, else any active widget listing the origin."""
        key = request.query_params.get("key", "")
        widgets = Widget.objects.filter(is_active=True)
        if key:
            widgets = widgets.filter(public_key=key)
        origin = cors.request_origin(request) or ""
        allowed = [o for w in widgets.only("allowed_origins") for o in w.allowed_origins or []]
        return cors.preflight(request, [origin] if origin in allowed else [])

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if request.method != "OPTIONS":
            cors.add_cors_headers(response, cors.request_origin(request), self.allowed_origins)
        return response

    def handle_exception(self, exc: Exception) -> Response:
        if isinstance(exc, services.ChatError):
            return Response({"detail": str(exc)}, status=status.HTTP_400_BAD_REQUEST)
        return super().handle_exception(exc)

    def valid(self, serializer_class: type, data: Any) -> dict[str, Any]:
        serializer = serializer_class(data=data)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data


def messages_body(conversation: Conversation, messages: list) -> dict[str, Any]:
    """The reply to a send or history call: new messages and where the conversation stands."""
    ticket = conversation.ticket
    needs_email = ticket is None and conversation.state.get("status") == "escalated"
    return {
        "messages": s.ChatMessageSerializer(messages, many=True).data,
        "status": conversation.status,
        "needs_email": needs_email,
        "ticket_reference": ticket.reference if ticket else None,
    }


class StartView(ChatView):
    needs_token = False
    ip_rate = "60/m"

    def start_widget(self) -> Widget:
        key = self.request.data.get("key") if hasattr(self.request.data, "get") else None
        if not key:
            raise ParseError("Send the widget `key`.")
        active = Widget.objects.filter(public_key=str(key), is_active=True)
        widget = active.select_related("bot").first()
        if widget is None:
            raise NotFound("No such widget.")
        self.widget = widget
        return widget

    @extend_schema(
        tags=TAGS, auth=[], request=s.ChatStartSerializer,
        responses={201: s.ChatStartedSerializer, **START_ERRORS},
        summary="Start a conversation",
        description="Returns the greeting and the conversation token (shown only here). "
        "A valid signed `identity` links the conversation to that contact; anything else is "
        "treated as an anonymous visitor.",
    )  # fmt: skip
    def post(self, request: Request) -> Response:
        data = self.valid(s.ChatStartSerializer, request.data)
        conversation, token, messages = services.start_conversation(
            widget=self.widget, language=data["lang"], page_url=data["page_url"],
            referrer=data["referrer"], user_agent=request.headers.get("User-Agent", ""),
            identity=data.get("identity"),
        )  # fmt: skip
        body = {
            "conversation_id": conversation.public_id, "token": token,
            "status": conversation.status, "language": conversation.language,
            "messages": s.ChatMessageSerializer(messages, many=True).data,
        }  # fmt: skip
        return Response(body, status=status.HTTP_201_CREATED)


class SendView(ChatView):
    @extend_schema(
        tags=TAGS, auth=[], parameters=[TOKEN], request=s.ChatSendSerializer,
        responses={200: s.ChatMessagesSerializer, **TOKEN_ERRORS}, summary="Send a message",
        description="The bot's answer, or (after escalation) the message goes to the ticket.",
    )  # fmt: skip
    def post(self, request: Request) -> Response:
        data = self.valid(s.ChatSendSerializer, request.data)
        messages = services.send_message(conversation=self.conversation, text=data["text"])
        self.conversation.refresh_from_db()
        return Response(messages_body(self.conversation, messages))


class HistoryView(ChatView):
    ip_rate = "240/m"

    @extend_schema(
        tags=TAGS, auth=[], summary="Messages after an id (cheap polling)",
        parameters=[TOKEN, OpenApiParameter("after", int, description="Last message id seen.")],
        responses={200: s.ChatMessagesSerializer, 304: OpenApiResponse(description="No change."),
                   **TOKEN_ERRORS},
        description="Includes agents' public replies once escalated. Send the ETag back in "
        "If-None-Match: an unchanged history answers 304 without a body.",
    )  # fmt: skip
    def get(self, request: Request) -> Response:
        after = self.valid(s.ChatHistoryQuerySerializer, request.query_params).get("after")
        conversation = self.conversation
        messages = services.history(conversation=conversation, after=after)
        etag = _etag(conversation, after)
        if etag in request.headers.get("If-None-Match", ""):
            return Response(status=status.HTTP_304_NOT_MODIFIED, headers={"ETag": etag})
        return Response(messages_body(conversation, messages), headers={"ETag": etag})


def _etag(conversation: Conversation, after: int | None) -> str:
    last = conversation.messages.aggregate(last=Max("id"))["last"] or 0
    raw = f"{conversation.pk}:{after}:{last}:{conversation.status}:{conversation.ticket_id}"
    return '"' + hashlib.sha256(raw.encode()).hexdigest()[:20] + '"'


class EscalateView(ChatView):
    @extend_schema(
        tags=TAGS, auth=[], parameters=[TOKEN], request=s.ChatEscalateSerializer,
        responses={201: s.ChatEscalatedSerializer, 200: s.ChatEscalatedSerializer, **TOKEN_ERRORS},
        summary="Hand the conversation to a person",
        description="Creates the conversation's one ticket (201); repeating answers 200 with "
        "the same ticket. Anonymous visitors must give an `email`.",
    )  # fmt: skip
    def post(self, request: Request) -> Response:
        data = self.valid(s.ChatEscalateSerializer, request.data)
        ticket, created = services.escalate_conversation(
            conversation=self.conversation, email=data["email"], name=data["name"]
        )
        body = {"ticket_reference": ticket.reference, "status": "escalated"}
        return Response(body, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


class RateView(ChatView):
    @extend_schema(
        tags=TAGS, auth=[], parameters=[TOKEN], request=s.ChatRateSerializer,
        responses={204: None, **TOKEN_ERRORS}, summary="Rate the chat",
    )  # fmt: skip
    def post(self, request: Request) -> Response:
        data = self.valid(s.ChatRateSerializer, request.data)
        services.rate_conversation(
            conversation=self.conversation, rating=data["rating"], comment=data["comment"]
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


class ArticleOpenedView(ChatView):
    @extend_schema(
        tags=TAGS, auth=[], parameters=[TOKEN], request=s.ChatArticleOpenedSerializer,
        responses={204: None, **TOKEN_ERRORS}, summary="Record that a suggested article was opened",
    )  # fmt: skip
    def post(self, request: Request) -> Response:
        data = self.valid(s.ChatArticleOpenedSerializer, request.data)
        services.record_article_opened(
            conversation=self.conversation, article_id=data["article_id"]
        )
        return Response(status=status.HTTP_204_NO_CONTENT)
