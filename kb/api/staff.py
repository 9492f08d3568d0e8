"""Staff knowledge-base API: editing through kb.services.

Public endpoints (AllowAny, anon/user throttles) render `kb.selectors` page data, so the API
shows exactly what the help-center pages show, with the same language fallback and caching.

Staff endpoints follow one rule: the caller is active Django staff *and* holds the kb model
permission matching the operation (`view_`, `add_` or `change_` on article or faq), the rule the
Django admin already applies to KB editors. Superusers hold every permission; an agent or a
helpdesk admin without staff status and those permissions gets 403, an anonymous caller 401.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import (
    extend_schema,
    extend_schema_view,
)
from rest_framework import status
from rest_framework.authentication import SessionAuthentication
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import UserRateThrottle
from rest_framework.views import APIView

from helpdesk.api_auth import CachedTokenAuthentication

from .. import serializers as s
from .. import services
from ..models import Article, ArticleRevision, Faq, Status
from .common import (
    NOT_FOUND,
    RULE_BROKEN,
    TAGS,
    kb_errors_as_400,
)

# --- Staff -----------------------------------------------------------------------------------


class IsKbEditor(BasePermission):
    """Active Django staff with `kb.<action>_<model>` for this view and method."""

    message = "Editing the knowledge base needs staff status and the matching kb permission."

    def has_permission(self, request: Request, view: APIView) -> bool:
        user = request.user
        if not (user and user.is_authenticated and user.is_active and user.is_staff):
            return False
        action = view.perm_actions.get(request.method, "view")
        return user.has_perm(f"kb.{action}_{view.model_name}")


class StaffView(APIView):
    # Token first: DRF takes the WWW-Authenticate challenge from the first class, so anonymous
    # callers get 401 rather than 403. Session cookies (with CSRF) work as before.
    authentication_classes = [CachedTokenAuthentication, SessionAuthentication]
    permission_classes = [IsKbEditor]
    throttle_classes = [UserRateThrottle]
    model_name = "article"
    perm_actions: dict[str, str] = {}


def staff_article_response(pk: int, code: int = status.HTTP_200_OK) -> Response:
    """The editor's representation, reloaded after a service changed the article (3 queries)."""
    latest = ArticleRevision.objects.filter(article=OuterRef("pk")).order_by("-number")
    article = get_object_or_404(
        Article.objects.select_related("live_revision")
        .prefetch_related("labels")
        .annotate(latest_revision_number=Subquery(latest.values("number")[:1])),
        pk=pk,
    )
    return Response(s.StaffArticleSerializer(article).data, status=code)


ARTICLE_RESPONSES = {200: s.StaffArticleSerializer, 400: RULE_BROKEN, 404: NOT_FOUND}


class StaffArticleCreateView(StaffView):
    perm_actions = {"POST": "add"}

    @extend_schema(
        operation_id="kb_staff_articles_create",
        summary="Create a draft article, or a translation when `source` is given",
        tags=TAGS,
        request=s.ArticleCreateSerializer,
        responses={201: s.StaffArticleSerializer, 400: RULE_BROKEN},
    )
    def post(self, request: Request) -> Response:
        serializer = s.ArticleCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with kb_errors_as_400():
            article = services.create_article(author=request.user, **serializer.validated_data)
        return staff_article_response(article.pk, status.HTTP_201_CREATED)


class StaffArticleView(StaffView):
    perm_actions = {"PATCH": "change"}

    @extend_schema(
        operation_id="kb_staff_articles_retrieve",
        summary="An article's working copy, status and revision state",
        tags=TAGS,
        responses={200: s.StaffArticleSerializer, 404: NOT_FOUND},
    )
    def get(self, request: Request, pk: int) -> Response:
        return staff_article_response(pk)

    @extend_schema(
        operation_id="kb_staff_articles_partial_update",
        summary="Save content as a new draft revision; change visibility, position or section",
        description="The published text stays live until the article is published again.",
        tags=TAGS,
        request=s.ArticleUpdateSerializer,
        responses=ARTICLE_RESPONSES,
    )
    def patch(self, request: Request, pk: int) -> Response:
        article = get_object_or_404(Article, pk=pk)
        serializer = s.ArticleUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        placement = {k: data[k] for k in ("visibility", "position", "section") if k in data}
        with transaction.atomic(), kb_errors_as_400():
            services.update_article_settings(article=article, **placement)
            if {"title", "summary", "body", "labels", "note"} & data.keys():
                services.save_article_draft(
                    article=article,
                    title=data.get("title", article.title),
                    summary=data.get("summary", article.summary),
                    body=data.get("body", article.body),
                    labels=data.get("labels"),
                    note=data.get("note", ""),
                    author=request.user,
                )
        return staff_article_response(pk)


class ArticleActionView(StaffView):
    """POST with no body that runs one workflow service on the article."""

    perm_actions = {"POST": "change"}

    def act(self, article: Article, request: Request) -> None:
        raise NotImplementedError

    def post(self, request: Request, pk: int) -> Response:
        article = get_object_or_404(Article, pk=pk)
        with kb_errors_as_400():
            self.act(article, request)
        return staff_article_response(pk)


def _action_schema(name: str, summary: str) -> Any:
    return extend_schema_view(
        post=extend_schema(
            operation_id=f"kb_staff_articles_{name}",
            summary=summary,
            tags=TAGS,
            request=None,
            responses=ARTICLE_RESPONSES,
        )
    )


@_action_schema("publish", "Make the latest revision live")
class ArticlePublishView(ArticleActionView):
    def act(self, article: Article, request: Request) -> None:
        services.publish_article(article=article, user=request.user)


@_action_schema("unpublish", "Take the article off the help center (back to draft)")
class ArticleUnpublishView(ArticleActionView):
    def act(self, article: Article, request: Request) -> None:
        services.unpublish_article(article=article)


@_action_schema("archive", "Retire the article, keeping its history")
class ArticleArchiveView(ArticleActionView):
    def act(self, article: Article, request: Request) -> None:
        services.archive_article(article=article)


class ArticleRevisionListView(StaffView):
    @extend_schema(
        operation_id="kb_staff_articles_revisions_list",
        summary="The article's revisions, newest first",
        tags=TAGS,
        responses={200: s.RevisionSerializer(many=True), 404: NOT_FOUND},
    )
    def get(self, request: Request, pk: int) -> Response:
        article = get_object_or_404(Article, pk=pk)
        revisions = article.revisions.order_by("-number")
        context = {"live_revision_id": article.live_revision_id}
        return Response(s.RevisionSerializer(revisions, many=True, context=context).data)


class ArticleRevisionRestoreView(StaffView):
    perm_actions = {"POST": "change"}

    @extend_schema(
        operation_id="kb_staff_articles_revisions_restore",
        summary="Copy an old revision into a new draft revision (history is kept)",
        tags=TAGS,
        request=None,
        responses=ARTICLE_RESPONSES,
    )
    def post(self, request: Request, pk: int, number: int) -> Response:
        revision = get_object_or_404(ArticleRevision, article_id=pk, number=number)
        services.restore_revision(revision=revision, user=request.user)
        return staff_article_response(pk)


class ArticleTranslationCreateView(StaffView):
    perm_actions = {"POST": "add"}

    @extend_schema(
        operation_id="kb_staff_articles_translations_create",
        summary="Start a draft translation from the original's current text",
        tags=TAGS,
        request=s.TranslationCreateSerializer,
        responses={201: s.StaffArticleSerializer, 400: RULE_BROKEN, 404: NOT_FOUND},
    )
    def post(self, request: Request, pk: int) -> Response:
        article = get_object_or_404(Article.objects.select_related("source"), pk=pk)
        serializer = s.TranslationCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with kb_errors_as_400():
            translation = services.duplicate_as_translation(
                article=article, language=serializer.validated_data["language"], user=request.user
            )
        return staff_article_response(translation.pk, status.HTTP_201_CREATED)


class StaffFaqView(StaffView):
    model_name = "faq"


FAQ_RESPONSES = {200: s.StaffFaqSerializer, 400: RULE_BROKEN, 404: NOT_FOUND}


class StaffFaqCreateView(StaffFaqView):
    perm_actions = {"POST": "add"}

    @extend_schema(
        operation_id="kb_staff_faqs_create",
        summary="Create a draft FAQ, or a translation when `source` is given",
        tags=TAGS,
        request=s.FaqCreateSerializer,
        responses={201: s.StaffFaqSerializer, 400: RULE_BROKEN},
    )
    def post(self, request: Request) -> Response:
        serializer = s.FaqCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with kb_errors_as_400():
            faq = services.create_faq(**serializer.validated_data)
        return Response(s.StaffFaqSerializer(faq).data, status=status.HTTP_201_CREATED)


class StaffFaqUpdateView(StaffFaqView):
    perm_actions = {"PATCH": "change"}

    @extend_schema(
        operation_id="kb_staff_faqs_partial_update",
        summary="Change a FAQ's question or answer (live at once for a published FAQ)",
        tags=TAGS,
        request=s.FaqUpdateSerializer,
        responses=FAQ_RESPONSES,
    )
    def patch(self, request: Request, pk: int) -> Response:
        faq = get_object_or_404(Faq, pk=pk)
        serializer = s.FaqUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        faq = services.save_faq(
            faq=faq,
            question=data.get("question", faq.question),
            answer=data.get("answer", faq.answer),
        )
        return Response(s.StaffFaqSerializer(faq).data)


class FaqStatusView(StaffFaqView):
    perm_actions = {"POST": "change"}
    new_status = Status.PUBLISHED

    def post(self, request: Request, pk: int) -> Response:
        faq = get_object_or_404(Faq, pk=pk)
        faq = services.set_faq_status(faq=faq, status=self.new_status)
        return Response(s.StaffFaqSerializer(faq).data)


def _faq_status_schema(name: str, summary: str) -> Any:
    return extend_schema_view(
        post=extend_schema(
            operation_id=f"kb_staff_faqs_{name}",
            summary=summary,
            tags=TAGS,
            request=None,
            responses=FAQ_RESPONSES,
        )
    )


@_faq_status_schema("publish", "Show the FAQ on the help center")
class FaqPublishView(FaqStatusView):
    new_status = Status.PUBLISHED


@_faq_status_schema("unpublish", "Take the FAQ off the help center (back to draft)")
class FaqUnpublishView(FaqStatusView):
    new_status = Status.DRAFT
