"""Admin: widgets (bot edited as YAML, checked by the engine, with a test box) and transcripts."""

from __future__ import annotations

import yaml
from django import forms
from django.contrib import admin
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from chatbot.engine import SchemaError, Severity, dump_bot, load_bot, respond, start, validate

from .bots import context_for, pick_language
from .models import (
    Conversation,
    ConversationMessage,
    Widget,
    business_hours_errors,
    holiday_dates,
    time_zone_error,
)


def bot_problems(data: object) -> tuple[object | None, list[str]]:
    """The loaded bot and every error message (schema or validation) for showing to an admin."""
    if not isinstance(data, dict):
        return None, [str(_("The bot definition must be a YAML mapping."))]
    try:
        bot = load_bot(data)
    except SchemaError as exc:
        return None, list(exc.errors)
    return bot, [str(i) for i in validate(bot) if i.severity == Severity.ERROR]


class WidgetForm(forms.ModelForm):
    bot_yaml = forms.CharField(
        label=_("bot definition (YAML)"), required=False,
        widget=forms.Textarea(attrs={"rows": 30, "cols": 100, "style": "font-family: monospace"}),
    )  # fmt: skip

    class Meta:
        model = Widget
        fields = [
            "name", "public_key", "identity_secret", "allowed_origins", "default_language",
            "is_active", "time_zone", "business_hours", "holidays",
        ]  # fmt: skip

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.bot_definition:
            text = yaml.safe_dump(self.instance.bot_definition, allow_unicode=True, sort_keys=False)
            self.initial["bot_yaml"] = text

    def clean_bot_yaml(self) -> dict:
        try:
            data = yaml.safe_load(self.cleaned_data["bot_yaml"] or "") or {}
        except yaml.YAMLError as exc:
            raise forms.ValidationError(
                _("Not valid YAML: %(error)s"), params={"error": exc}
            ) from exc
        bot, problems = bot_problems(data)
        if problems:
            raise forms.ValidationError(problems)
        return dump_bot(bot)

    def clean_allowed_origins(self) -> list[str]:
        origins = self.cleaned_data.get("allowed_origins") or []
        if not isinstance(origins, list) or not all(isinstance(o, str) for o in origins):
            raise forms.ValidationError(_("A list of origins such as “https://shop.example”."))
        bad = [
            o for o in origins if o in {"*", "null"} or not o.startswith(("https://", "http://"))
        ]
        if bad or any(o.rstrip("/") != o or o.count("/") != 2 for o in origins):
            raise forms.ValidationError(_("Exact origins only: scheme and host, no path or “*”."))
        return origins

    def clean_time_zone(self) -> str:
        zone = (self.cleaned_data.get("time_zone") or "").strip()
        problem = time_zone_error(zone)
        if problem:
            raise forms.ValidationError(problem)
        return zone

    def clean_business_hours(self) -> dict:
        hours = self.cleaned_data.get("business_hours") or {}
        problems = business_hours_errors(hours)
        if problems:
            raise forms.ValidationError(problems)
        return hours

    def clean_holidays(self) -> list[str]:
        holidays = self.cleaned_data.get("holidays") or []
        try:
            holiday_dates(holidays)
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from exc
        return holidays

    def save(self, commit: bool = True) -> Widget:
        self.instance.bot_definition = self.cleaned_data["bot_yaml"]
        return super().save(commit)


class TestBoxForm(forms.Form):
    text = forms.CharField(label=_("Visitor says"), max_length=500)
    language = forms.CharField(label=_("Language"), max_length=16, required=False)


@admin.register(Widget)
class WidgetAdmin(admin.ModelAdmin):
    form = WidgetForm
    list_display = [
        "name", "public_key", "is_active", "default_language", "time_zone", "test_box_link",
    ]  # fmt: skip
    search_fields = ["name", "public_key"]

    def get_urls(self):
        test_box = self.admin_site.admin_view(self.test_box_view)
        mine = [path("<int:pk>/test/", test_box, name="chatbot_widget_test")]
        return mine + super().get_urls()

    @admin.display(description=_("Test box"))
    def test_box_link(self, widget: Widget) -> str:
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:chatbot_widget_test", args=[widget.pk]),
            _("Try it"),
        )

    def test_box_view(self, request, pk: int):
        """Run one sample message through the saved bot and show what the engine decided."""
        widget = self.get_object(request, str(pk))
        if widget is None or not self.has_view_permission(request, widget):
            return self._get_obj_does_not_exist_redirect(request, self.opts, str(pk))
        form = TestBoxForm(request.POST or None)
        reply, problems = None, []
        if form.is_valid():
            bot, problems = bot_problems(widget.bot_definition)
            if bot is not None:
                lang = pick_language(bot, form.cleaned_data["language"], widget.default_language)
                ctx = context_for(Conversation(widget=widget, language=lang))
                opening = start(bot, lang, ctx)
                reply = respond(bot, opening.state, form.cleaned_data["text"], lang, ctx)
        context = {
            **self.admin_site.each_context(request), "opts": self.opts, "widget": widget,
            "form": form, "reply": reply, "problems": problems, "title": _("Test box"),
        }  # fmt: skip
        return TemplateResponse(request, "admin/chatbot/widget/test_box.html", context)


class MessageInline(admin.TabularInline):
    model = ConversationMessage
    fields = ["created_at", "author", "text", "intent", "score", "reason", "step"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Conversation)
class ConversationAdmin(admin.ModelAdmin):
    list_display = ["public_id", "widget", "status", "language", "contact", "ticket", "created_at"]
    list_filter = ["status", "widget", "language"]
    list_select_related = ["widget", "contact", "ticket"]
    inlines = [MessageInline]
    exclude = ["token_hash"]

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in Conversation._meta.fields if f.name != "token_hash"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
