"""Knowledge-base admin helpers: forms, translation status, Markdown preview, revisions, diffs."""

from __future__ import annotations

import difflib
import mimetypes
from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect
from django.template.defaultfilters import filesizeformat
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from helpdesk.markdown import render_markdown

from . import services
from .models import Article, ArticleAttachment, ArticleRevision, Faq, Status

# Big enough for any real article; a cap keeps one keystroke from costing seconds of CPU.
MAX_PREVIEW_BYTES = 200 * 1024
DIFF_CONTEXT_LINES = 3

STATE_LABELS = {
    Status.PUBLISHED: Status.PUBLISHED.label,
    Status.DRAFT: Status.DRAFT.label,
    Status.IN_REVIEW: Status.IN_REVIEW.label,
    Status.ARCHIVED: Status.ARCHIVED.label,
    "outdated": _("Outdated"),
    "missing": _("Missing"),
}


# --- Translation status -----------------------------------------------------------------------


@dataclass(frozen=True)
class LanguageState:
    code: str
    name: str
    state: str
    article: Article | None
    is_current: bool

    @property
    def label(self) -> str:
        return STATE_LABELS[self.state]


def group_members(article: Article) -> list[Article]:
    """The original and its translations, read from the admin queryset's prefetch."""
    original = article.source if article.source_id else article
    return [original, *original.translations.all()]


def _state_of(member: Article | None) -> str:
    if member is None:
        return "missing"
    if member.is_outdated:
        return "outdated"
    if member.status == Status.PUBLISHED and member.live_revision_id is None:
        return Status.DRAFT  # marked published but nothing was ever made live
    return member.status


def translation_states(article: Article) -> list[LanguageState]:
    """One entry per configured language: which member of the group covers it, in what state."""
    by_language = {member.language: member for member in group_members(article)}
    return [
        LanguageState(
            code=code,
            name=str(name),
            state=_state_of(by_language.get(code)),
            article=by_language.get(code),
            is_current=code == article.language,
        )
        for code, name in settings.LANGUAGES
    ]


def render_translation_list(article: Article) -> str:
    """Compact list for the changelist: one line per language, the state in words."""
    items = format_html_join(
        "",
        '<li class="kb-tr kb-tr-{}"><abbr title="{}">{}</abbr> {}</li>',
        ((s.state, s.name, s.code.upper(), s.label) for s in translation_states(article)),
    )
    return format_html('<ul class="kb-tr-list">{}</ul>', items)


def render_translation_table(article: Article) -> str:
    """The change form's panel: each language's state with a link to that translation."""
    rows = []
    for state in translation_states(article):
        target = state.article
        if state.is_current:
            link = _("this article")
        elif target is not None:
            url = reverse("admin:kb_article_change", args=[target.pk])
            link = format_html('<a href="{}">{}</a>', url, target.title)
        else:
            link = "–"
        rows.append((state.state, state.name, state.code, state.label, link))
    body = format_html_join(
        "", '<tr class="kb-tr-{}"><th scope="row">{} ({})</th><td>{}</td><td>{}</td></tr>', rows
    )
    return format_html(
        '<table class="kb-tr-table"><thead><tr><th scope="col">{}</th><th scope="col">{}</th>'
        '<th scope="col">{}</th></tr></thead><tbody>{}</tbody></table>',
        _("Language"), _("State"), _("Article"), body,
    )  # fmt: skip


# --- Forms -------------------------------------------------------------------------------------


def normalise_newlines(text: str) -> str:
    """Browsers submit textareas with CRLF; stored Markdown uses LF, so a resubmit is no edit."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def parse_labels(text: str) -> list[str]:
    return [part.strip() for part in (text or "").split(",") if part.strip()]


def markdown_textarea(preview_url: str, rows: int = 20) -> forms.Textarea:
    """A textarea that static/kb/admin_preview.js pairs with a live, server-rendered preview."""
    return forms.Textarea(
        attrs={
            "rows": rows,
            "dir": "auto",
            "class": "vLargeTextField kb-markdown",
            "data-kb-preview-url": preview_url,
            # Labels travel as attributes: the script has no translation catalogue of its own.
            "data-kb-preview-title": _("Preview"),
            "data-kb-preview-empty": _("Nothing to preview yet."),
            "data-kb-preview-busy": _("Updating preview…"),
            "data-kb-preview-error": _("The preview could not be updated."),
        }
    )


class ArticleAdminForm(forms.ModelForm):
    labels_text = forms.CharField(
        label=_("Labels"),
        required=False,
        widget=forms.TextInput(attrs={"class": "vLargeTextField"}),
        help_text=_("Comma-separated, for example: shipping, returns."),
    )
    note = forms.CharField(
        label=_("Change note"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"class": "vLargeTextField"}),
        help_text=_("Saved with the new revision and shown in its history."),
    )

    class Meta:
        model = Article
        fields = ("title", "summary", "body", "section", "language", "source", "slug")
        widgets = {
            "title": forms.TextInput(attrs={"dir": "auto", "class": "vLargeTextField"}),
            "summary": forms.TextInput(attrs={"dir": "auto", "class": "vLargeTextField"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and "labels_text" in self.fields:
            names = self.instance.labels.values_list("name", flat=True)
            self.fields["labels_text"].initial = ", ".join(names)
        if "slug" in self.fields and not self.instance.pk:
            self.fields["slug"].required = False
            self.fields["slug"].help_text = _("Leave empty to make one from the title.")

    def clean_body(self) -> str:
        return normalise_newlines(self.cleaned_data.get("body", ""))

    def clean_labels_text(self) -> str:
        # The service stores labels as ASCII slugs and drops any that slugify to nothing.
        text = self.cleaned_data.get("labels_text", "")
        dropped = [label for label in parse_labels(text) if not slugify(label)]
        if dropped:
            raise ValidationError(
                _("Labels can use Latin letters, digits and hyphens only: %(labels)s"),
                params={"labels": ", ".join(dropped)},
            )
        return text

    def clean(self):
        data = super().clean()
        source, language = data.get("source"), data.get("language")
        if self.instance.pk is None and source is not None:
            if source.source_id:
                self.add_error("source", _("Pick the original article, not a translation."))
            elif source.language == language:
                self.add_error("language", _("A translation needs another language."))
            elif Article.objects.filter(source=source, language=language).exists():
                self.add_error("language", _("This article already has that translation."))
        return data


class AttachmentForm(forms.ModelForm):
    class Meta:
        model = ArticleAttachment
        fields = ("file",)
        # No "Currently: <link>": stored files are served by the kb-attachment view only.
        widgets = {"file": forms.FileInput}

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        limit = settings.MAX_ATTACHMENT_BYTES
        if isinstance(upload, UploadedFile) and upload.size > limit:
            raise ValidationError(
                _("“%(name)s” is %(size)s; files can be at most %(limit)s."),
                code="too_large",
                params={
                    "name": upload.name,
                    "size": filesizeformat(upload.size),
                    "limit": filesizeformat(limit),
                },
            )
        return upload


def describe_upload(attachment: ArticleAttachment, upload: UploadedFile, user) -> None:
    """Record what the browser sent; the serve view decides how far to trust content_type."""
    name = (upload.name or "file").rsplit("/", 1)[-1]
    guessed = mimetypes.guess_type(name)[0]
    attachment.filename = name[-200:]
    attachment.content_type = (upload.content_type or guessed or "application/octet-stream")[:100]
    attachment.size = upload.size
    attachment.uploaded_by = user


class FaqAdminForm(forms.ModelForm):
    class Meta:
        model = Faq
        fields = ("category", "language", "source", "question", "answer", "status", "position")
        widgets = {"question": forms.TextInput(attrs={"dir": "auto", "class": "vLargeTextField"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.pk and "position" in self.fields:
            self.fields["position"].required = False
            self.fields["position"].initial = None
            self.fields["position"].help_text = _("Leave empty to add it at the end.")

    def clean_answer(self) -> str:
        return normalise_newlines(self.cleaned_data.get("answer", ""))

    def clean(self):
        data = super().clean()
        source = data.get("source")
        if self.instance.pk is None and source is not None:
            if source.source_id:
                self.add_error("source", _("Pick the original question, not a translation."))
            elif source.language == data.get("language"):
                self.add_error("language", _("A translation needs another language."))
        return data


# --- Diffs ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DiffLine:
    kind: str  # "equal", "removed", "added" or "skip" (unchanged lines left out)
    old_number: int | None
    new_number: int | None
    text: str


@dataclass(frozen=True)
class FieldDiff:
    label: str
    lines: list[DiffLine]

    @property
    def has_changes(self) -> bool:
        return any(line.kind in ("removed", "added") for line in self.lines)


def diff_lines(old: str, new: str, *, context: int = DIFF_CONTEXT_LINES) -> list[DiffLine]:
    """A unified line diff with `context` unchanged lines around each change."""
    a, b = old.splitlines(), new.splitlines()
    if a == b:
        return []
    lines: list[DiffLine] = []
    groups = list(difflib.SequenceMatcher(None, a, b, autojunk=False).get_grouped_opcodes(context))
    for index, group in enumerate(groups):
        if index or group[0][1] > 0:
            lines.append(DiffLine("skip", None, None, ""))
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                lines += [DiffLine("equal", i + 1, j1 + i - i1 + 1, a[i]) for i in range(i1, i2)]
                continue
            lines += [DiffLine("removed", i + 1, None, a[i]) for i in range(i1, i2)]
            lines += [DiffLine("added", None, j + 1, b[j]) for j in range(j1, j2)]
    if groups and groups[-1][-1][2] < len(a):
        lines.append(DiffLine("skip", None, None, ""))
    return lines


def diff_revisions(old: ArticleRevision, new: ArticleRevision) -> list[FieldDiff]:
    pairs = [
        (_("Title"), old.title, new.title),
        (_("Summary"), old.summary, new.summary),
        (_("Body"), old.body, new.body),
        (_("Labels"), "\n".join(old.labels), "\n".join(new.labels)),
    ]
    return [FieldDiff(label=str(label), lines=diff_lines(a, b)) for label, a, b in pairs]


def _number(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


def _default_pair(revisions: list[ArticleRevision], live_id: int | None) -> tuple[int, int]:
    # By default show what publishing would change: live -> latest, else the last edit.
    latest = revisions[0]
    live = next((r for r in revisions if r.pk == live_id), None)
    if live is not None and live.pk != latest.pk:
        return live.number, latest.number
    return revisions[1].number, latest.number


# --- Views ------------------------------------------------------------------------------------


def preview(request: HttpRequest, *, can_preview: bool) -> HttpResponse:
    """Sanitised HTML for the Markdown in POST `body`, exactly as readers would get it."""
    if request.method != "POST":
        return HttpResponse(status=405, headers={"Allow": "POST"})
    if not can_preview:
        raise PermissionDenied
    body = request.POST.get("body", "")
    if len(body.encode("utf-8")) > MAX_PREVIEW_BYTES:
        message = _("The text is too long to preview (over %(size)s KB).") % {
            "size": MAX_PREVIEW_BYTES // 1024
        }
        return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
    language = request.POST.get("language", "")
    resolve = (
        services.resolve_internal_link(language) if language in dict(settings.LANGUAGES) else None
    )
    rendered = render_markdown(body, resolve_link=resolve)
    return HttpResponse(rendered.html, content_type="text/html; charset=utf-8")


def revisions(request: HttpRequest, *, model_admin, object_id: int) -> TemplateResponse:
    """Revision history of one article with a diff between any two revisions."""
    article = get_object_or_404(model_admin.get_queryset(request), pk=object_id)
    if not model_admin.has_view_or_change_permission(request, article):
        raise PermissionDenied
    history = list(
        article.revisions.select_related("author").only(
            "pk", "number", "created_at", "note", "author__name", "author__email"
        )
    )
    diff, old, new = None, None, None
    if len(history) > 1:
        default_old, default_new = _default_pair(history, article.live_revision_id)
        old_n = _number(request.GET.get("from")) or default_old
        new_n = _number(request.GET.get("to")) or default_new
        pair = {r.number: r for r in article.revisions.filter(number__in=[old_n, new_n])}
        old, new = pair.get(old_n), pair.get(new_n)
        diff = diff_revisions(old, new) if old and new else None
    opts = model_admin.model._meta
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": opts,
        "title": _("Revisions of “%(title)s”") % {"title": article.title},
        "original": article,
        "revisions": history,
        "latest_number": history[0].number if history else None,
        "old": old,
        "new": new,
        "diff": diff,
        "has_change_permission": model_admin.has_change_permission(request, article),
    }
    return TemplateResponse(request, "admin/kb/article/revisions.html", context)


@require_POST
def restore(request: HttpRequest, *, model_admin, object_id: int, number: int) -> HttpResponse:
    """Bring an old revision back as the newest draft; publishing stays a separate step."""
    article = get_object_or_404(model_admin.get_queryset(request), pk=object_id)
    if not model_admin.has_change_permission(request, article):
        raise PermissionDenied
    revision = get_object_or_404(article.revisions.all(), number=number)
    restored = services.restore_revision(revision=revision, user=request.user)
    if restored is None:
        messages.info(request, _("Revision %(number)s is already the current text.") % {
            "number": number
        })  # fmt: skip
    else:
        model_admin.log_change(request, article, f"Restored revision {number}")
        message = _("Revision %(old)s was restored as draft %(new)s; publish it to go live.")
        messages.success(request, message % {"old": number, "new": restored.number})
    return redirect(reverse("admin:kb_article_revisions", args=[article.pk]))
