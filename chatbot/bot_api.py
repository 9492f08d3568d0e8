"""Admin API for bots: list them, read one as its definition (the YAML export as JSON), replace
one from a definition (the YAML import), with the validator's report. Helpdesk admins only."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from helpdesk.permissions import IsHelpdeskAdmin

from .authoring import export_and_check, import_bot
from .engine import SchemaError
from .models import Bot

TAGS = ["chat bots"]


class BotSummarySerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()
    default_language = serializers.CharField()
    version = serializers.CharField(help_text="Changes whenever a row of the bot is saved.")
    updated_at = serializers.DateTimeField()


class BotDefinitionSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    version = serializers.CharField()
    definition = serializers.JSONField(help_text="Same shape as `manage.py chatbot export`.")
    errors = serializers.ListField(child=serializers.CharField())
    warnings = serializers.ListField(child=serializers.CharField())


class BotImportSerializer(serializers.Serializer):
    definition = serializers.JSONField(help_text="Same shape as the YAML `chatbot import` reads.")


def _body(bot: Bot) -> dict:
    """`bot` as just read or as `import_bot` left it (it refreshes the row after a write)."""
    definition, errors, warnings = export_and_check(bot)
    return {
        "slug": bot.slug, "version": bot.version, "definition": definition,
        "errors": errors, "warnings": warnings,
    }  # fmt: skip


class BotListView(APIView):
    permission_classes = [IsHelpdeskAdmin]

    @extend_schema(tags=TAGS, responses={200: BotSummarySerializer(many=True)},
                   summary="List bots")  # fmt: skip
    def get(self, request: Request) -> Response:
        return Response(BotSummarySerializer(Bot.objects.order_by("slug"), many=True).data)


class BotDetailView(APIView):
    permission_classes = [IsHelpdeskAdmin]

    @extend_schema(tags=TAGS, responses={200: BotDefinitionSerializer}, summary="Export a bot")
    def get(self, request: Request, slug: str) -> Response:
        return Response(_body(get_object_or_404(Bot, slug=slug)))

    @extend_schema(
        tags=TAGS, request=BotImportSerializer, summary="Replace a bot's rows (import)",
        responses={200: BotDefinitionSerializer,
                   400: OpenApiResponse(description="The definition does not load: `errors`.")},
        description="Idempotent: importing what the bot already holds writes nothing (the "
        "version stays). Validation warnings do not stop an import; schema errors do.",
    )  # fmt: skip
    def put(self, request: Request, slug: str) -> Response:
        bot = get_object_or_404(Bot, slug=slug)
        data = BotImportSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            import_bot(bot=bot, data=data.validated_data["definition"])
        except SchemaError as exc:
            return Response({"errors": exc.errors}, status=status.HTTP_400_BAD_REQUEST)
        return Response(_body(bot))
