"""Public knowledge-base API: help-center reads and votes, the same data the pages show."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import BigIntegerField, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
)
from rest_framework import status
from rest_framework.exceptions import NotFound
from rest_framework.pagination import CursorPagination
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle, SimpleRateThrottle, UserRateThrottle
from rest_framework.views import APIView

from helpdesk.visitors import SESSION_COOKIE

from .. import selectors, services
from .. import serializers as s
from ..models import Article, Section, SectionTranslation, Visibility
from .common import (
    BAD_LANG,
    GROUP_ID,
    NOT_FOUND,
    RULE_BROKEN,
    TAGS,
    kb_errors_as_400,
)

# --- Public ----------------------------------------------------------------------------------


class VoteRateThrottle(SimpleRateThrottle):
    """30 votes a minute per IP address, signed in or not (votes are anonymous)."""

    scope = "kb_vote"
    rate = "30/min"

    def get_cache_key(self, request: Request, view: APIView) -> str:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class PublicView(APIView):
    """Help-center reads: open to everyone, throttled at the anon rate (user rate if signed in)."""

    permission_classes = [AllowAny]
    throttle_classes = [AnonRateThrottle, UserRateThrottle]

    def query(self, serializer_class: type = s.LanguageQuerySerializer) -> dict[str, Any]:
        serializer = serializer_class(data=self.request.query_params)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def audience(self) -> str:
        return selectors.audience_for(self.request.user)

    def context(self, lang: str) -> dict[str, Any]:
        return {"request": self.request, "lang": lang}


def sections_by_category(language: str) -> dict[str, list[dict]]:
    """Section names per category slug, using the selectors' fallback rule (two queries)."""
    sections = Section.objects.select_related("category").prefetch_related(
        selectors._translations_prefetch(language, SectionTranslation)
    )
    grouped: dict[str, list[dict]] = {}
    for section in sections:
        grouped.setdefault(section.category.slug, []).append(
            selectors._section_dict(section, language)
        )
    return grouped


class CategoryListView(PublicView):
    @extend_schema(
        operation_id="kb_categories_list",
        summary="Categories with their sections and article counts",
        tags=TAGS,
        parameters=[s.LanguageQuerySerializer],
        responses={200: s.CategorySerializer(many=True), 400: BAD_LANG},
    )
    def get(self, request: Request) -> Response:
        lang = self.query()["lang"]
        home = selectors.home_page(language=lang, audience=self.audience())
        sections = sections_by_category(lang)
        data = [{**c, "sections": sections.get(c["slug"], [])} for c in home["categories"]]
        return Response(s.CategorySerializer(data, many=True, context=self.context(lang)).data)


class CategoryDetailView(PublicView):
    @extend_schema(
        operation_id="kb_categories_retrieve",
        summary="One category: its sections and their article cards",
        tags=TAGS,
        parameters=[s.LanguageQuerySerializer],
        responses={200: s.CategoryDetailSerializer, 400: BAD_LANG, 404: NOT_FOUND},
    )
    def get(self, request: Request, slug: str) -> Response:
        lang = self.query()["lang"]
        page = selectors.category_page(slug=slug, language=lang, audience=self.audience())
        if page is None:
            raise NotFound("There is no category with this slug.")
        data = {**page["category"], "sections": page["sections"]}
        return Response(s.CategoryDetailSerializer(data, context=self.context(lang)).data)


def best_article_per_group(*, language: str, audience: str) -> QuerySet[Article]:
    """One readable article per translation group, chosen in SQL so the list pages in the DB.

    The rule is selectors._best_per_group's (the reader's language, else the default language,
    else the original); that one ranks in Python over a whole page, which cursors cannot page.
    """
    default = settings.LANGUAGE_CODE
    visible = Article.objects.published()
    if audience != "agents":
        visible = visible.filter(visibility=Visibility.PUBLIC)

    def group_has(*languages: str) -> Exists:
        same_group = Q(pk=OuterRef("group")) | Q(source_id=OuterRef("group"))
        return Exists(visible.filter(same_group, language__in=languages))

    chosen = (
        Q(language=language)
        | (Q(language=default) & ~group_has(language))
        | (Q(source__isnull=True) & ~group_has(language, default))
    )
    return (
        visible.annotate(group=Coalesce("source_id", "id", output_field=BigIntegerField()))
        .filter(chosen)
        .select_related("live_revision", "section__category")
        # Cards never show bodies: keep the Markdown and HTML out of the list query.
        .defer("body", "live_revision__body", "live_revision__body_html", "live_revision__toc")
    )


class ArticleCursorPagination(CursorPagination):
    """Newest translation group first; the cursor holds a group id, so no COUNT is run."""

    ordering = "-group"
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100


def _list_item(article: Article, language: str) -> dict[str, Any]:
    live = article.live_revision
    return {
        **selectors._card(article, language),
        "labels": live.labels,
        "category": article.section.category.slug,
        "section": article.section.slug,
        "published_at": article.published_at,
        "updated_at": live.created_at,
    }


class ArticleListView(PublicView):
    @extend_schema(
        operation_id="kb_articles_list",
        summary="Published articles, one per translation group, newest first",
        tags=TAGS,
        parameters=[
            s.ArticleListQuerySerializer,
            OpenApiParameter("cursor", str, description="Opaque cursor from next/previous."),
            OpenApiParameter("page_size", int, description="Default 20, at most 100."),
        ],
        responses={200: s.ArticlePageSerializer, 400: BAD_LANG},
    )
    def get(self, request: Request) -> Response:
        query = self.query(s.ArticleListQuerySerializer)
        lang = query["lang"]
        rows = best_article_per_group(language=lang, audience=self.audience())
        if "category" in query:
            rows = rows.filter(section__category__slug=query["category"])
        if "section" in query:
            rows = rows.filter(section__slug=query["section"])
        if "label" in query:
            rows = rows.filter(labels__name=query["label"])
        paginator = ArticleCursorPagination()
        page = paginator.paginate_queryset(rows, request, view=self) or []
        body = {
            "next": paginator.get_next_link(),
            "previous": paginator.get_previous_link(),
            "results": [_list_item(article, lang) for article in page],
        }
        return Response(s.ArticlePageSerializer(body, context=self.context(lang)).data)


def _article_page(group_id: int, language: str, audience: str) -> dict[str, Any]:
    page = selectors.article_page(group_id=group_id, language=language, audience=audience)
    # A translation's own id also finds its group; only the group id is the article's address.
    if page is None or page["article"]["id"] != group_id:
        raise NotFound("There is no such article, or you may not read it.")
    return page


class ArticleDetailView(PublicView):
    @extend_schema(
        operation_id="kb_articles_retrieve",
        summary="One article, from its published revision",
        description="Drafts, archived and internal articles are 404; agents also see internal "
        "articles, flagged `is_internal`.",
        tags=TAGS,
        parameters=[GROUP_ID, s.LanguageQuerySerializer],
        responses={200: s.ArticleDetailSerializer, 400: BAD_LANG, 404: NOT_FOUND},
    )
    def get(self, request: Request, group_id: int) -> Response:
        lang = self.query()["lang"]
        page = _article_page(group_id, lang, self.audience())
        data = {
            **page["article"],
            "body_html": page["article"]["html"],
            **{key: page[key] for key in ("category", "section", "translations", "related")},
        }
        return Response(s.ArticleDetailSerializer(data, context=self.context(lang)).data)


class FaqListView(PublicView):
    @extend_schema(
        operation_id="kb_faqs_list",
        summary="Published FAQs, one per translation group",
        tags=TAGS,
        parameters=[s.FaqListQuerySerializer],
        responses={200: s.FaqSerializer(many=True), 400: BAD_LANG},
    )
    def get(self, request: Request) -> Response:
        query = self.query(s.FaqListQuerySerializer)
        lang = query["lang"]
        page = selectors.faq_page(language=lang, audience=self.audience())
        wanted = query.get("category")
        data = [
            {**faq, "category": group["slug"]}
            for group in page["groups"]
            if wanted in (None, group["slug"])
            for faq in group["faqs"]
        ]
        return Response(s.FaqSerializer(data, many=True, context=self.context(lang)).data)


class ArticleVoteView(PublicView):
    throttle_classes = [VoteRateThrottle, AnonRateThrottle, UserRateThrottle]

    @extend_schema(
        operation_id="kb_articles_votes_create",
        summary='Answer "Was this helpful?" (one vote per visitor; a second one replaces it)',
        tags=TAGS,
        parameters=[GROUP_ID, s.LanguageQuerySerializer],
        request=s.VoteCreateSerializer,
        responses={
            201: s.VoteSerializer,
            200: OpenApiResponse(s.VoteSerializer, description="The visitor's vote, updated."),
            400: RULE_BROKEN,
            404: NOT_FOUND,
            429: OpenApiResponse(description="More than 30 votes a minute from one address."),
        },
    )
    def post(self, request: Request, group_id: int) -> Response:
        lang = self.query()["lang"]
        serializer = s.VoteCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        page = _article_page(group_id, lang, self.audience())
        article = get_object_or_404(Article, pk=page["article"]["article_id"])
        # Join the site's analytics session only when the browser sent one.
        session_id = request.analytics_session_id if SESSION_COOKIE in request.COOKIES else ""
        with kb_errors_as_400():
            result = services.record_vote(
                article=article, session_id=session_id, **serializer.validated_data
            )
        vote = result.vote
        data = {
            "article_id": article.pk,
            "is_new": result.is_new,
            "is_changed": result.is_changed,
            **{key: getattr(vote, key) for key in ("value", "reason", "comment")},
        }
        code = status.HTTP_201_CREATED if result.is_new else status.HTTP_200_OK
        return Response(s.VoteSerializer(data).data, status=code)
