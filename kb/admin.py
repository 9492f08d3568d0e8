"""Knowledge-base admin: every content write goes through kb.services, never straight to models."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.files.uploadedfile import UploadedFile
from django.db import models
from django.db.models import Count, OuterRef, Prefetch, Subquery
from django.template.defaultfilters import filesizeformat
from django.urls import path, reverse
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.text import format_lazy
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import admin_views, services
from .admin_views import (
    ArticleAdminForm,
    AttachmentForm,
    FaqAdminForm,
    describe_upload,
    markdown_textarea,
    parse_labels,
)
from .models import (
    Article,
    ArticleAttachment,
    ArticleRevision,
    ArticleVote,
    Category,
    CategoryTranslation,
    Faq,
    Section,
    SectionTranslation,
    Status,
)

# Fields of an existing article that are not part of its revisioned text.
ARTICLE_METADATA_FIELDS = ("section", "slug", "visibility", "position")
FAQ_METADATA_FIELDS = ("category", "position")
# Only what the status column and translation panel read, not every translation's body.
TRANSLATION_FIELDS = (
    "id", "source_id", "language", "title", "status", "is_outdated", "live_revision_id",
)  # fmt: skip


def outdated_badge(obj: Article | Faq) -> str:
    # Text only where something needs attention: a column of red crosses for "no" reads as
    # a wall of errors.
    if not obj.is_outdated:
        return "–"
    return format_html('<span class="kb-badge kb-badge-outdated">{}</span>', _("Outdated"))


class PublicPagesAdminMixin:
    """Cached help-center pages go stale after any admin save or delete."""

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        services.invalidate_after_commit()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        services.invalidate_after_commit()

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        services.invalidate_after_commit()


def translation_names(obj) -> str:
    # <bdi> keeps an Arabic name from reordering its neighbours in the line.
    rows = ((t.language, t.name) for t in obj.translations.all())
    return format_html_join(" · ", "{}: <bdi>{}</bdi>", rows)


# --- Categories and sections ------------------------------------------------------------------


class TranslationInline(admin.TabularInline):
    """One row per language; compact, since the names and descriptions are short."""

    extra = 0
    fields = ("language", "name", "description")
    formfield_overrides = {
        models.CharField: {"widget": forms.TextInput(attrs={"dir": "auto", "size": 30})},
        models.TextField: {"widget": forms.Textarea(attrs={"dir": "auto", "rows": 2, "cols": 50})},
    }


class CategoryTranslationInline(TranslationInline):
    model = CategoryTranslation


class SectionTranslationInline(TranslationInline):
    model = SectionTranslation


@admin.register(Category)
class CategoryAdmin(PublicPagesAdminMixin, admin.ModelAdmin):
    list_display = ("slug", "names", "icon", "section_count", "position")
    list_editable = ("position",)
    search_fields = ("slug", "translations__name")
    inlines = (CategoryTranslationInline,)

    def get_queryset(self, request):
        qs = super().get_queryset(request).prefetch_related("translations")
        return qs.annotate(n_sections=Count("sections", distinct=True))

    @admin.display(description=_("names"))
    def names(self, obj: Category) -> str:
        return translation_names(obj)

    @admin.display(description=_("sections"), ordering="n_sections")
    def section_count(self, obj: Category) -> int:
        return obj.n_sections


@admin.register(Section)
class SectionAdmin(PublicPagesAdminMixin, admin.ModelAdmin):
    list_display = ("slug", "category", "names", "position")
    list_editable = ("position",)
    list_filter = ("category",)
    list_select_related = ("category",)
    search_fields = ("slug", "translations__name")
    inlines = (SectionTranslationInline,)

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("translations")

    @admin.display(description=_("names"))
    def names(self, obj: Section) -> str:
        return translation_names(obj)


# --- Articles ---------------------------------------------------------------------------------


class ArticleAttachmentInline(admin.TabularInline):
    model = ArticleAttachment
    form = AttachmentForm
    extra = 1
    fields = ("file", "markdown", "content_type", "file_size", "uploaded_by", "created_at")
    readonly_fields = ("markdown", "content_type", "file_size", "uploaded_by", "created_at")
    verbose_name = _("attachment")
    verbose_name_plural = _("attachments")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("uploaded_by")

    @admin.display(description=_("paste into Markdown"))
    def markdown(self, obj: ArticleAttachment) -> str:
        if not obj.pk:
            return "–"
        url = obj.get_absolute_url()
        snippet = f"[{obj.filename}]({url})"
        if obj.content_type.startswith("image/"):
            snippet = "!" + snippet
        return format_html('<code class="kb-snippet">{}</code> <a href="{}">{}</a>', snippet, url,
                           _("open"))  # fmt: skip

    @admin.display(description=_("size"))
    def file_size(self, obj: ArticleAttachment) -> str:
        return filesizeformat(obj.size) if obj.pk else "–"


class LanguageFilter(admin.SimpleListFilter):
    """The language list filter, with names instead of codes."""

    title = _("language")
    parameter_name = "language"

    def lookups(self, request, model_admin):
        return settings.LANGUAGES

    def queryset(self, request, queryset):
        return queryset.filter(language=self.value()) if self.value() else queryset


@admin.register(Article)
class ArticleAdmin(PublicPagesAdminMixin, admin.ModelAdmin):
    form = ArticleAdminForm
    list_display = (
        "title", "language_code", "status", "visibility", "section_path", "pending_changes",
        "outdated", "view_count", "helpful", "translation_column", "position", "updated",
    )  # fmt: skip
    list_editable = ("position",)
    list_filter = (
        "status",
        LanguageFilter,
        ("section__category", admin.RelatedOnlyFieldListFilter),
        "visibility",
        "is_outdated",
    )
    list_select_related = ("section__category", "source")
    search_fields = ("title", "summary", "body", "slug")
    show_full_result_count = False
    autocomplete_fields = ("source",)
    inlines = (ArticleAttachmentInline,)
    actions = ("publish_selected", "unpublish_selected", "archive_selected", "submit_selected")
    readonly_fields = (
        "status", "live_revision_number", "pending_changes", "translation_panel", "feedback",
    )  # fmt: skip

    class Media:
        js = ("kb/admin_preview.js",)
        css = {"all": ("kb/admin.css",)}

    def get_queryset(self, request):
        latest = ArticleRevision.objects.filter(article=OuterRef("pk")).order_by("-number")
        translations = Article.objects.only(*TRANSLATION_FIELDS).order_by()
        # No select_related here: the changelist applies list_select_related only when the
        # queryset has none of its own.
        return (
            super()
            .get_queryset(request)
            .annotate(latest_revision_pk=Subquery(latest.values("pk")[:1]))
            .prefetch_related(
                Prefetch("translations", queryset=translations),
                Prefetch("source__translations", queryset=translations),
            )
        )

    def get_search_results(self, request, queryset, search_term):
        qs, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if request.GET.get("field_name") == "source":
            qs = qs.filter(source__isnull=True)  # only originals can be translated
        return qs, may_have_duplicates

    def get_fieldsets(self, request, obj=None):
        fieldsets = [
            (None, {"fields": ("title", "summary", "body", "labels_text", "note")}),
            (
                _("Placement"),
                {"fields": ("section", "language", "source", "slug", "visibility", "position")},
            ),
        ]
        if obj is not None:
            fieldsets.append((_("Publishing"), {"fields": self.readonly_fields}))
        return fieldsets

    def get_readonly_fields(self, request, obj=None):
        # Moving an article between languages or groups would orphan its translations.
        return (*self.readonly_fields, "language", "source") if obj else self.readonly_fields

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if obj is not None and "body" in form.base_fields:
            # Language is read-only on the change form; the preview still needs it.
            form.base_fields["body"].widget.attrs["data-kb-language"] = obj.language
        return form

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "body":
            kwargs["widget"] = markdown_textarea(reverse("admin:kb_article_preview"), rows=24)
            kwargs["strip"] = False  # a trailing newline is part of the text, not an edit
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "section":
            kwargs["queryset"] = Section.objects.select_related("category")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("preview/", wrap(self.preview_view), name="kb_article_preview"),
            path(
                "<int:object_id>/revisions/",
                wrap(self.revisions_view),
                name="kb_article_revisions",
            ),
            path(
                "<int:object_id>/revisions/<int:number>/restore/",
                wrap(self.restore_view),
                name="kb_article_restore",
            ),
            *super().get_urls(),
        ]

    def preview_view(self, request):
        return admin_views.preview(request, can_preview=self.has_change_permission(request))

    def revisions_view(self, request, object_id):
        return admin_views.revisions(request, model_admin=self, object_id=object_id)

    def restore_view(self, request, object_id, number):
        return admin_views.restore(request, model_admin=self, object_id=object_id, number=number)

    # --- Saving through the services ---

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if not change:
            self._create(request, obj, data)
        else:
            changed = [name for name in ARTICLE_METADATA_FIELDS if name in form.changed_data]
            if changed:
                obj.save(update_fields=[*changed, "updated_at"])
            # The changelist's list_editable form carries only `position`: no text to save.
            if "body" in data:
                services.save_article_draft(
                    article=obj,
                    title=data["title"],
                    summary=data["summary"],
                    body=data["body"],
                    labels=parse_labels(data.get("labels_text", "")),
                    author=request.user,
                    note=data.get("note", ""),
                )
        if "_publish" in request.POST:
            self._publish(request, obj)

    def _create(self, request, obj: Article, data: dict) -> None:
        article = services.create_article(
            section=data["section"],
            language=data["language"],
            title=data["title"],
            summary=data["summary"],
            body=data["body"],
            labels=parse_labels(data.get("labels_text", "")),
            visibility=data["visibility"],
            author=request.user,
            source=data.get("source"),
            slug=data.get("slug") or "",
            position=data.get("position") or 0,
        )
        # The admin goes on with `obj` (inlines, log entry, redirect): make it that article.
        obj.pk = article.pk
        obj.refresh_from_db()
        obj._state.adding = False

    def _publish(self, request, obj: Article) -> None:
        try:
            article = services.publish_article(article=obj, user=request.user)
        except services.KbError as exc:
            self.message_user(request, str(exc), messages.ERROR)
            return
        obj.refresh_from_db()
        self.message_user(
            request,
            _("Revision %(number)s is now live.") % {"number": article.live_revision.number},
            messages.SUCCESS,
        )

    def save_formset(self, request, form, formset, change):
        if formset.model is ArticleAttachment:
            for item in formset.forms:
                upload = getattr(item, "cleaned_data", {}).get("file")
                if isinstance(upload, UploadedFile) and "file" in item.changed_data:
                    describe_upload(item.instance, upload, request.user)
        super().save_formset(request, form, formset, change)

    # --- Columns and read-only panels ---

    @admin.display(description=_("language"), ordering="language")
    def language_code(self, obj: Article) -> str:
        # The code keeps a twelve-column list narrow; the name is one hover away.
        name = dict(settings.LANGUAGES).get(obj.language, obj.language)
        return format_html('<abbr title="{}">{}</abbr>', name, obj.language)

    @admin.display(description=_("section"), ordering="section__category__position")
    def section_path(self, obj: Article) -> str:
        return format_html("{}/<wbr>{}", obj.section.category.slug, obj.section.slug)

    @admin.display(description=_("updated"), ordering="updated_at")
    def updated(self, obj: Article) -> str:
        return date_format(localtime(obj.updated_at), "SHORT_DATETIME_FORMAT")

    def has_pending_changes(self, obj: Article) -> bool:
        latest = getattr(obj, "latest_revision_pk", None)
        if latest is None:  # not loaded through get_queryset
            return obj.has_unpublished_changes
        return latest != obj.live_revision_id

    @admin.display(description=_("unpublished changes"))
    def pending_changes(self, obj: Article) -> str:
        if not self.has_pending_changes(obj):
            return "–"
        return format_html('<span class="kb-badge kb-badge-draft">{}</span>', _("Pending"))

    @admin.display(description=_("Outdated"), ordering="is_outdated")
    def outdated(self, obj: Article) -> str:
        return outdated_badge(obj)

    @admin.display(description=_("live revision"))
    def live_revision_number(self, obj: Article) -> str:
        if obj.live_revision is None:
            return _("Not published yet")
        return _("Revision %(number)s") % {"number": obj.live_revision.number}

    @admin.display(description=_("helpful"))
    def helpful(self, obj: Article) -> str:
        total = obj.helpful_count + obj.not_helpful_count
        if not total:
            return "–"
        percent = round(100 * obj.helpful_count / total)
        return _("%(percent)s%% of %(total)s votes") % {"percent": percent, "total": total}

    @admin.display(description=_("reader feedback"))
    def feedback(self, obj: Article) -> str:
        url = reverse("admin:kb_articlevote_changelist") + f"?article__id__exact={obj.pk}"
        return format_html(
            '{} · <a href="{}">{}</a>',
            _("%(yes)s yes, %(no)s no, %(views)s views")
            % {"yes": obj.helpful_count, "no": obj.not_helpful_count, "views": obj.view_count},
            url,
            _("Read the answers"),
        )

    @admin.display(description=_("translations"))
    def translation_column(self, obj: Article) -> str:
        return admin_views.render_translation_list(obj)

    @admin.display(description=_("translations"))
    def translation_panel(self, obj: Article) -> str:
        return admin_views.render_translation_table(obj)

    # --- Actions ---

    def _run_action(self, request, queryset, change) -> int:
        """Apply `change` to each article; it returns whether that article changed."""
        changed = 0
        for article in queryset:
            try:
                changed += bool(change(article))
            except services.KbError as exc:
                self.message_user(request, f"“{article}”: {exc}", messages.ERROR)
        return changed

    def _report(self, request, changed: int, message: str) -> None:
        level = messages.SUCCESS if changed else messages.WARNING
        self.message_user(request, message % {"count": changed}, level)

    @admin.action(description=_("Publish selected articles"), permissions=["change"])
    def publish_selected(self, request, queryset):
        def publish(article: Article) -> bool:
            before = (article.status, article.live_revision_id)
            after = services.publish_article(article=article, user=request.user)
            return before != (after.status, after.live_revision_id)

        n = self._run_action(request, queryset, publish)
        self._report(request, n, ngettext(
            "%(count)d article was published.", "%(count)d articles were published.", n
        ))  # fmt: skip

    @admin.action(description=_("Unpublish selected articles"), permissions=["change"])
    def unpublish_selected(self, request, queryset):
        def unpublish(article: Article) -> bool:
            return article.status != services.unpublish_article(article=article).status

        n = self._run_action(request, queryset, unpublish)
        self._report(request, n, ngettext(
            "%(count)d article was unpublished.", "%(count)d articles were unpublished.", n
        ))  # fmt: skip

    @admin.action(description=_("Archive selected articles"), permissions=["change"])
    def archive_selected(self, request, queryset):
        def archive(article: Article) -> bool:
            return article.status != services.archive_article(article=article).status

        n = self._run_action(request, queryset, archive)
        self._report(request, n, ngettext(
            "%(count)d article was archived.", "%(count)d articles were archived.", n
        ))  # fmt: skip

    @admin.action(description=_("Submit selected articles for review"), permissions=["change"])
    def submit_selected(self, request, queryset):
        def submit(article: Article) -> bool:
            return article.status != services.submit_for_review(article=article).status

        n = self._run_action(request, queryset, submit)
        self._report(request, n, ngettext(
            "%(count)d article was submitted for review.",
            "%(count)d articles were submitted for review.",
            n,
        ))  # fmt: skip

    def get_actions(self, request):
        actions = super().get_actions(request)
        if self.has_add_permission(request):
            for code, name in settings.LANGUAGES:
                action_name = "duplicate_" + code.replace("-", "_")
                description = format_lazy(_("Duplicate as translation into {}"), name)
                actions[action_name] = (self._duplicate_action(code), action_name, description)
        return actions

    def _duplicate_action(self, language: str):
        def duplicate(modeladmin, request, queryset):
            def make(article: Article) -> bool:
                return bool(
                    services.duplicate_as_translation(
                        article=article, language=language, user=request.user
                    )
                )

            n = self._run_action(request, queryset, make)
            self._report(request, n, ngettext(
                "%(count)d translation draft was created.",
                "%(count)d translation drafts were created.",
                n,
            ))  # fmt: skip

        return duplicate


# --- FAQs -------------------------------------------------------------------------------------


@admin.register(Faq)
class FaqAdmin(PublicPagesAdminMixin, admin.ModelAdmin):
    form = FaqAdminForm
    list_display = ("question", "language", "category", "status", "outdated", "position")
    list_editable = ("position",)
    list_filter = ("status", LanguageFilter, "category", "is_outdated")
    list_select_related = ("category",)
    search_fields = ("question", "answer")
    show_full_result_count = False
    autocomplete_fields = ("source",)
    actions = ("publish_selected", "unpublish_selected")
    fields = ("category", "language", "source", "question", "answer", "status", "position")

    class Media:
        js = ("kb/admin_preview.js",)
        css = {"all": ("kb/admin.css",)}

    def get_readonly_fields(self, request, obj=None):
        return ("language", "source") if obj else ()

    @admin.display(description=_("Outdated"), ordering="is_outdated")
    def outdated(self, obj: Faq) -> str:
        return outdated_badge(obj)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if obj is not None and "answer" in form.base_fields:
            form.base_fields["answer"].widget.attrs["data-kb-language"] = obj.language
        return form

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "answer":
            kwargs["widget"] = markdown_textarea(reverse("admin:kb_faq_preview"), rows=12)
            kwargs["strip"] = False
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def get_search_results(self, request, queryset, search_term):
        qs, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if request.GET.get("field_name") == "source":
            qs = qs.filter(source__isnull=True)
        return qs, may_have_duplicates

    def get_urls(self):
        wrap = self.admin_site.admin_view
        preview = path("preview/", wrap(self.preview_view), name="kb_faq_preview")
        return [preview, *super().get_urls()]

    def preview_view(self, request):
        return admin_views.preview(request, can_preview=self.has_change_permission(request))

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if not change:
            faq = services.create_faq(
                category=data["category"],
                language=data["language"],
                question=data["question"],
                answer=data["answer"],
                source=data.get("source"),
                status=data["status"],
                position=data.get("position"),
            )
            obj.pk = faq.pk
            obj.refresh_from_db()
            obj._state.adding = False
            return
        changed = [name for name in FAQ_METADATA_FIELDS if name in form.changed_data]
        if changed:
            obj.save(update_fields=[*changed, "updated_at"])
        if "answer" in data:  # the changelist's list_editable form has no text
            services.save_faq(faq=obj, question=data["question"], answer=data["answer"])
        if "status" in form.changed_data:
            services.set_faq_status(faq=obj, status=data["status"])

    def _set_status(self, request, queryset, status: str) -> int:
        changed = 0
        for faq in queryset:
            if faq.status != status:
                services.set_faq_status(faq=faq, status=status)
                changed += 1
        return changed

    @admin.action(description=_("Publish selected questions"), permissions=["change"])
    def publish_selected(self, request, queryset):
        n = self._set_status(request, queryset, Status.PUBLISHED)
        self.message_user(request, ngettext(
            "%(count)d question was published.", "%(count)d questions were published.", n
        ) % {"count": n})  # fmt: skip

    @admin.action(description=_("Unpublish selected questions"), permissions=["change"])
    def unpublish_selected(self, request, queryset):
        n = self._set_status(request, queryset, Status.DRAFT)
        self.message_user(request, ngettext(
            "%(count)d question was unpublished.", "%(count)d questions were unpublished.", n
        ) % {"count": n})  # fmt: skip


# --- Reader feedback --------------------------------------------------------------------------


@admin.register(ArticleVote)
class ArticleVoteAdmin(admin.ModelAdmin):
    """Read-only: counts on the article are derived from votes, so votes are never edited here."""

    list_display = ("created_at", "article", "value", "reason", "short_comment")
    list_filter = ("value", "reason", ("article__language", admin.ChoicesFieldListFilter))
    list_select_related = ("article",)
    search_fields = ("comment", "article__title")
    date_hierarchy = "created_at"
    show_full_result_count = False

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description=_("comment"))
    def short_comment(self, obj: ArticleVote) -> str:
        return obj.comment if len(obj.comment) <= 120 else obj.comment[:119] + "…"
