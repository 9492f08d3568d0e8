"""Search API: instant suggestions as the reader types (help center, contact form, chatbot)."""

from __future__ import annotations

from django.conf import settings
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle
from rest_framework.views import APIView

from . import search
from .selectors import audience_for


class SuggestInput(serializers.Serializer):
    q = serializers.CharField(max_length=200, allow_blank=True, trim_whitespace=True)
    lang = serializers.ChoiceField(choices=[c for c, _ in settings.LANGUAGES], required=False)


class SuggestionOutput(serializers.Serializer):
    id = serializers.IntegerField(source="group_id")
    title = serializers.CharField()
    url = serializers.CharField()
    language = serializers.CharField()
    snippet = serializers.CharField(help_text="HTML: matched words in <mark>, the rest escaped.")


class SuggestThrottle(AnonRateThrottle):
    scope = "suggest"
    rate = "120/min"


class SuggestUserThrottle(UserRateThrottle):
    scope = "suggest_user"
    rate = "240/min"


class SuggestView(APIView):
    """Top articles for a partial query; the last word may be unfinished."""

    permission_classes = [AllowAny]
    authentication_classes = []  # public and cookie-free: no CSRF, no session lookup
    throttle_classes = [SuggestThrottle]

    @extend_schema(
        operation_id="search_suggest",
        tags=["search"],
        parameters=[
            OpenApiParameter("q", str, description="What the reader has typed so far (≤200)."),
            OpenApiParameter("lang", str, enum=[c for c, _ in settings.LANGUAGES]),
        ],
        responses=SuggestionOutput(many=True),
    )
    def get(self, request: Request) -> Response:
        data = SuggestInput(data=request.query_params)
        data.is_valid(raise_exception=True)
        hits = search.suggest(
            raw_query=data.validated_data["q"],
            language=data.validated_data.get("lang") or settings.LANGUAGE_CODE,
            audience=audience_for(request.user),
        )
        return Response(SuggestionOutput(hits, many=True).data)
