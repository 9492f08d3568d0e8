"""Knowledge-base API serializers: strict input validation and read-only output shapes."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.conf import settings
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from .models import Article, Category, Faq, Section, Status, Visibility, Vote
from .services import VOTE_REASONS

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]
MAX_LABELS = 20


def language_field(**kwargs: Any) -> serializers.ChoiceField:
    """A language code from settings.LANGUAGES, with an error that lists the valid ones."""
    supported = ", ".join(LANGUAGE_CODES)
    return serializers.ChoiceField(
        choices=settings.LANGUAGES,
        error_messages={
            "invalid_choice": f'"{{input}}" is not a supported language. Use one of: {supported}.'
        },
        **kwargs,
    )


# --- Query parameters ------------------------------------------------------------------------


class LanguageQuerySerializer(serializers.Serializer):
    lang = language_field(
        default=settings.LANGUAGE_CODE,
        help_text="Language of the text; missing translations fall back to the default language.",
    )


class ArticleListQuerySerializer(LanguageQuerySerializer):
    category = serializers.SlugField(required=False, max_length=80, help_text="Category slug.")
    section = serializers.SlugField(
        required=False, max_length=80, help_text="Section slug (combine with category)."
    )
    label = serializers.SlugField(required=False, max_length=50, help_text="Label name.")


class FaqListQuerySerializer(LanguageQuerySerializer):
    category = serializers.SlugField(required=False, max_length=80, help_text="Category slug.")


# --- Request bodies ---------------------------------------------------------------------------


class StrictInputSerializer(serializers.Serializer):
    """Request body that reads only its declared fields and names any other as an error.

    Rejecting (not silently ignoring) `status` or `author` in a body tells the client the field
    cannot be set there, and nothing undeclared can ever reach a service.
    """

    def to_internal_value(self, data: Any) -> dict:
        unknown = sorted(set(data) - set(self.fields)) if isinstance(data, Mapping) else []
        errors: dict[str, Any] = {name: ["This field cannot be set here."] for name in unknown}
        try:
            value = super().to_internal_value(data)
        except serializers.ValidationError as exc:
            raise serializers.ValidationError({**errors, **exc.detail}) from exc
        if errors:
            raise serializers.ValidationError(errors)
        return value


def _labels_field(**kwargs: Any) -> serializers.ListField:
    return serializers.ListField(
        child=serializers.CharField(max_length=50),
        max_length=MAX_LABELS,
        help_text="Label names; they are slugified.",
        **kwargs,
    )


def _section_field(**kwargs: Any) -> serializers.PrimaryKeyRelatedField:
    return serializers.PrimaryKeyRelatedField(
        queryset=Section.objects.all(),
        error_messages={"does_not_exist": "There is no section with id {pk_value}."},
        **kwargs,
    )


class ArticleCreateSerializer(StrictInputSerializer):
    section = _section_field(required=False, help_text="Defaults to the source's section.")
    language = language_field()
    title = serializers.CharField(max_length=200)
    summary = serializers.CharField(max_length=300, allow_blank=True, default="")
    body = serializers.CharField(allow_blank=True, default="", trim_whitespace=False)
    labels = _labels_field(default=list)
    visibility = serializers.ChoiceField(choices=Visibility.choices, default=Visibility.PUBLIC)
    source = serializers.PrimaryKeyRelatedField(
        queryset=Article.objects.all(),
        allow_null=True,
        default=None,
        error_messages={"does_not_exist": "There is no article with id {pk_value}."},
        help_text="The original article, when this is a translation.",
    )

    def validate(self, attrs: dict) -> dict:
        if attrs.get("section") is None:
            if attrs["source"] is None:
                raise serializers.ValidationError(
                    {"section": ["Choose a section, or give a source to use its section."]}
                )
            attrs["section"] = attrs["source"].section
        return attrs


class ArticleUpdateSerializer(StrictInputSerializer):
    """Content (saved as a new draft revision) and settings; send only what changes."""

    title = serializers.CharField(max_length=200, required=False)
    summary = serializers.CharField(max_length=300, allow_blank=True, required=False)
    body = serializers.CharField(allow_blank=True, required=False, trim_whitespace=False)
    labels = _labels_field(required=False)
    note = serializers.CharField(
        max_length=200, allow_blank=True, required=False, help_text="Revision note."
    )
    visibility = serializers.ChoiceField(choices=Visibility.choices, required=False)
    position = serializers.IntegerField(min_value=0, max_value=2**31 - 1, required=False)
    section = _section_field(required=False)

    def validate(self, attrs: dict) -> dict:
        if not attrs:
            raise serializers.ValidationError("Send at least one field to change.")
        return attrs


class TranslationCreateSerializer(StrictInputSerializer):
    language = language_field(help_text="Language of the new draft translation.")


class VoteCreateSerializer(StrictInputSerializer):
    value = serializers.ChoiceField(choices=Vote.choices)
    reason = serializers.ChoiceField(
        choices=VOTE_REASONS, allow_blank=True, default="", help_text="Only kept for a down vote."
    )
    comment = serializers.CharField(max_length=1000, allow_blank=True, default="")
    visitor_id = serializers.RegexField(
        r"^[A-Za-z0-9_-]{8,64}$",
        help_text="The anonymous id the client keeps for this reader; one vote per visitor.",
        error_messages={
            "required": "A visitor id is required to count one vote per reader.",
            "blank": "A visitor id is required to count one vote per reader.",
            "invalid": "A visitor id is 8 to 64 letters, digits, '-' or '_'.",
        },
    )


class FaqCreateSerializer(StrictInputSerializer):
    category = serializers.PrimaryKeyRelatedField(
        queryset=Category.objects.all(),
        required=False,
        error_messages={"does_not_exist": "There is no category with id {pk_value}."},
        help_text="Defaults to the source's category.",
    )
    language = language_field()
    question = serializers.CharField(max_length=300)
    answer = serializers.CharField(trim_whitespace=False)
    source = serializers.PrimaryKeyRelatedField(
        queryset=Faq.objects.all(),
        allow_null=True,
        default=None,
        error_messages={"does_not_exist": "There is no FAQ with id {pk_value}."},
        help_text="The original FAQ, when this is a translation.",
    )
    position = serializers.IntegerField(min_value=0, max_value=2**31 - 1, required=False)

    def validate(self, attrs: dict) -> dict:
        source: Faq | None = attrs["source"]
        if source is None:
            if attrs.get("category") is None:
                raise serializers.ValidationError({"category": ["This field is required."]})
            return attrs
        # kb.services.create_faq does not check these (create_article does); see the API notes.
        if source.source_id is not None:
            raise serializers.ValidationError(
                {"source": ["Translate the original FAQ, not another translation."]}
            )
        if source.language == attrs["language"]:
            raise serializers.ValidationError(
                {"language": ["A translation must be in another language than its source."]}
            )
        if Faq.objects.filter(source=source, language=attrs["language"]).exists():
            raise serializers.ValidationError(
                {"language": [f"A {attrs['language']} translation of this FAQ already exists."]}
            )
        attrs.setdefault("category", source.category)
        return attrs


class FaqUpdateSerializer(StrictInputSerializer):
    question = serializers.CharField(max_length=300, required=False)
    answer = serializers.CharField(required=False, trim_whitespace=False)

    def validate(self, attrs: dict) -> dict:
        if not attrs:
            raise serializers.ValidationError("Send a question, an answer or both.")
        return attrs


# --- Public output (rendered from kb.selectors page data) -------------------------------------


@extend_schema_field(OpenApiTypes.URI)
class AbsoluteUrlField(serializers.CharField):
    """A site path from the page data, made absolute for API clients."""

    def to_representation(self, value: str) -> str:
        request = self.context.get("request")
        return request.build_absolute_uri(value) if request else value


@extend_schema_field(OpenApiTypes.BOOL)
class FallbackField(serializers.Field):
    """True when the text is not in the requested language (the `lang` in the context)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(source="language", read_only=True, **kwargs)

    def to_representation(self, value: str) -> bool:
        return value != self.context["lang"]


class TranslatedRefSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()
    description = serializers.CharField()
    language = serializers.CharField(help_text="Language of name and description.")
    is_fallback = FallbackField()
    url = AbsoluteUrlField()


class ArticleCardSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="Translation group id: use it in article URLs.")
    article_id = serializers.IntegerField(help_text="Id of the translation shown.")
    title = serializers.CharField()
    summary = serializers.CharField()
    language = serializers.CharField()
    is_fallback = serializers.BooleanField()
    is_internal = serializers.BooleanField(help_text="Agents only: never shown to the public.")
    url = AbsoluteUrlField()


class ArticleListItemSerializer(ArticleCardSerializer):
    labels = serializers.ListField(child=serializers.CharField())
    category = serializers.SlugField(help_text="Category slug.")
    section = serializers.SlugField(help_text="Section slug.")
    published_at = serializers.DateTimeField(allow_null=True)
    updated_at = serializers.DateTimeField(help_text="When the live text was written.")


class ArticlePageSerializer(serializers.Serializer):
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = ArticleListItemSerializer(many=True)


class SectionWithArticlesSerializer(TranslatedRefSerializer):
    articles = ArticleCardSerializer(many=True)


class CategorySerializer(TranslatedRefSerializer):
    icon = serializers.CharField()
    article_count = serializers.IntegerField(help_text="Articles you can read, per group.")
    sections = TranslatedRefSerializer(many=True)


class CategoryDetailSerializer(TranslatedRefSerializer):
    icon = serializers.CharField()
    sections = SectionWithArticlesSerializer(many=True)


class TocEntrySerializer(serializers.Serializer):
    id = serializers.CharField(help_text="Heading anchor in body_html.")
    name = serializers.CharField()
    level = serializers.IntegerField()


class TranslationLinkSerializer(serializers.Serializer):
    language = serializers.CharField()
    url = AbsoluteUrlField()


class ArticleDetailSerializer(ArticleCardSerializer):
    slug = serializers.CharField()
    body_html = serializers.CharField(help_text="Sanitised HTML of the published revision.")
    toc = TocEntrySerializer(many=True, help_text="Empty for articles with few headings.")
    labels = serializers.ListField(child=serializers.CharField())
    published_at = serializers.DateTimeField(allow_null=True)
    updated_at = serializers.DateTimeField()
    category = TranslatedRefSerializer()
    section = TranslatedRefSerializer()
    translations = TranslationLinkSerializer(many=True)
    related = ArticleCardSerializer(many=True)


class FaqSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="Translation group id.")
    question = serializers.CharField()
    answer_html = serializers.CharField(help_text="Sanitised HTML.")
    language = serializers.CharField()
    is_fallback = serializers.BooleanField()
    category = serializers.SlugField(help_text="Category slug.")
    url = AbsoluteUrlField()


class VoteSerializer(serializers.Serializer):
    article_id = serializers.IntegerField(help_text="The translation the vote counts for.")
    value = serializers.ChoiceField(choices=Vote.choices)
    reason = serializers.CharField()
    comment = serializers.CharField()
    is_new = serializers.BooleanField()
    is_changed = serializers.BooleanField()


# --- Staff output ----------------------------------------------------------------------------


class StaffArticleSerializer(serializers.Serializer):
    """The editor's view of an article: working copy and where it stands against the live text.

    Expects `latest_revision_number` annotated and `live_revision`, `labels` loaded.
    """

    id = serializers.IntegerField()
    group_id = serializers.IntegerField()
    source = serializers.IntegerField(source="source_id", allow_null=True)
    section = serializers.IntegerField(source="section_id")
    language = serializers.CharField()
    slug = serializers.CharField()
    title = serializers.CharField(help_text="Working copy.")
    summary = serializers.CharField(help_text="Working copy.")
    body = serializers.CharField(help_text="Working copy (Markdown).")
    labels = serializers.SerializerMethodField()
    status = serializers.ChoiceField(choices=Status.choices)
    visibility = serializers.ChoiceField(choices=Visibility.choices)
    position = serializers.IntegerField()
    live_revision = serializers.SerializerMethodField()
    latest_revision = serializers.IntegerField(source="latest_revision_number", allow_null=True)
    has_unpublished_changes = serializers.SerializerMethodField()
    is_outdated = serializers.BooleanField()
    url = serializers.CharField(source="get_absolute_url")
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
    published_at = serializers.DateTimeField(allow_null=True)

    def get_labels(self, article: Article) -> list[str]:
        return sorted(label.name for label in article.labels.all())

    def get_live_revision(self, article: Article) -> int | None:
        live = article.live_revision
        return live.number if live else None

    def get_has_unpublished_changes(self, article: Article) -> bool:
        # Same rule as Article.has_unpublished_changes, without its extra query.
        latest = article.latest_revision_number
        return latest is not None and latest != self.get_live_revision(article)


class RevisionSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    title = serializers.CharField()
    summary = serializers.CharField()
    body = serializers.CharField()
    labels = serializers.ListField(child=serializers.CharField())
    note = serializers.CharField()
    author = serializers.IntegerField(source="author_id", allow_null=True)
    created_at = serializers.DateTimeField()
    is_live = serializers.SerializerMethodField()

    def get_is_live(self, revision: Any) -> bool:
        return revision.pk == self.context["live_revision_id"]


class StaffFaqSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    group_id = serializers.IntegerField()
    source = serializers.IntegerField(source="source_id", allow_null=True)
    category = serializers.IntegerField(source="category_id")
    language = serializers.CharField()
    question = serializers.CharField()
    answer = serializers.CharField(help_text="Markdown.")
    answer_html = serializers.CharField()
    status = serializers.ChoiceField(choices=Status.choices)
    position = serializers.IntegerField()
    is_outdated = serializers.BooleanField()
    url = serializers.CharField(source="get_absolute_url")
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
