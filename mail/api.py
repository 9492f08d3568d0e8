"""The inbound endpoint for mail providers: a raw RFC 822 message in, a ticket or reply out."""

from __future__ import annotations

import base64
import binascii
import hmac

from django.conf import settings
from django_ratelimit.core import is_ratelimited
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.parsers import BaseParser, FormParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from helpdesk.celery import enqueue_on_commit

from .models import InboundEmail
from .services import MailError, receive_email
from .tasks import process_inbound_email

# Form fields in which common providers post the raw MIME message.
RAW_FIELDS = ("email", "body-mime", "message", "raw")


class RawEmailParser(BaseParser):
    """Any non-form body is the raw message itself (message/rfc822, text/plain, octet-stream)."""

    media_type = "*/*"

    def parse(self, stream, media_type=None, parser_context=None) -> bytes:
        return stream.read() if stream is not None else b""


def _secret_from(request) -> str:
    header = request.META.get("HTTP_AUTHORIZATION", "")
    scheme, _space, value = header.partition(" ")
    if scheme.lower() == "bearer":
        return value.strip()
    if scheme.lower() == "basic":  # https://user:SECRET@desk.example/api/v1/mail/inbound/
        try:
            return base64.b64decode(value.strip()).decode().partition(":")[2]
        except (binascii.Error, UnicodeDecodeError):
            return ""
    return ""


def _raw_message(request) -> bytes:
    data = request.data
    if isinstance(data, bytes):
        return data
    for name in RAW_FIELDS:
        upload = request.FILES.get(name)
        if upload is not None:
            return upload.read()
        if data.get(name):
            value = data.get(name)
            return value.encode("utf-8", "surrogateescape") if isinstance(value, str) else value
    return b""


_RESULT = inline_serializer(
    "InboundEmailResult",
    {
        "id": serializers.IntegerField(),
        "status": serializers.CharField(),
        "ticket": serializers.CharField(allow_null=True),
        "duplicate": serializers.BooleanField(),
    },
)


class InboundEmailView(APIView):
    """POST a raw RFC 822 message (body, or form field `email`/`body-mime`), authenticated by
    the shared secret MAIL_INBOUND_SECRET as a Bearer token or the Basic-auth password."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    parser_classes = [MultiPartParser, FormParser, RawEmailParser]

    @extend_schema(
        request={"message/rfc822": OpenApiTypes.BINARY},
        responses={
            202: _RESULT,
            200: _RESULT,
            400: OpenApiResponse(description="not a message"),
            401: OpenApiResponse(description="wrong or missing secret"),
            413: OpenApiResponse(description="message too large"),
            429: OpenApiResponse(description="rate limited"),
        },
        summary="Receive an inbound email",
        tags=["mail"],
    )
    def post(self, request):
        if is_ratelimited(
            request, group="mail-inbound", key="ip", rate=settings.MAIL_INBOUND_RATE, increment=True
        ):
            return Response({"detail": "Too many requests."}, status=429)
        declared = request.META.get("CONTENT_LENGTH") or "0"
        if declared.isdigit() and int(declared) > settings.MAIL_MAX_MESSAGE_BYTES * 2:
            # Form encodings can double a message; anything beyond that is refused unread.
            return Response({"detail": "The message is too large."}, status=413)
        secret = settings.MAIL_INBOUND_SECRET
        if not secret or not hmac.compare_digest(_secret_from(request).encode(), secret.encode()):
            return Response({"detail": "Authentication failed."}, status=401)
        try:
            inbound, is_new = receive_email(_raw_message(request), source="http")
        except MailError as exc:
            return Response({"detail": str(exc)}, status=status.HTTP_400_BAD_REQUEST)
        if is_new:
            enqueue_on_commit(process_inbound_email, inbound.pk)
        inbound = InboundEmail.objects.get(pk=inbound.pk)
        body = {
            "id": inbound.pk,
            "status": inbound.status,
            "duplicate": not is_new,
            "ticket": inbound.ticket_reference,
        }
        return Response(body, status=202 if is_new else 200)
