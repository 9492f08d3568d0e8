"""Admin: a bot as rows — intents, phrases, synonyms, flows, steps, options — with inlines.

Django admin does not nest inlines, so the bot page lists its intents and flows inline, and each
intent (phrases, synonyms) and step (options) has its own page with its own inlines. Every page
shows what `manage.py chatbot validate` would say about the bot and links to its test box.
"""

from __future__ import annotations

import yaml
from django.contrib import admin
from django.http import HttpResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from chatbot.authoring import check_bot, export_bot
from chatbot.models import Bot, Flow, FlowStep, Intent, IntentPhrase, StepOption, Synonym

from .testbox import test_box_response
from .texts import LanguageBoxesAdmin, LanguageBoxesInline


def _edit_link(obj, label: str) -> str:
    if obj is None or obj.pk is None:
        return "—"
    meta = obj._meta
    url = reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])
    return format_html('<a href="{}">{}</a>', url, label)


def _report(bot: Bot | None) -> str:
    """Errors and warnings of the saved rows, as an HTML list (escaped)."""
    if bot is None or bot.pk is None:
        return "—"
    _loaded, errors, warnings = check_bot(bot)
    if not errors and not warnings:
        return format_html("<p>{}</p>", _("No problems found."))
    items = [(_("Error"), e) for e in errors] + [(_("Warning"), w) for w in warnings]
    return format_html(
        '<ul class="chatbot-problems">{}</ul>',
        format_html_join("", "<li><strong>{}</strong>: {}</li>", items),
    )


class IntentInline(LanguageBoxesInline, admin.TabularInline):
    model = Intent
    text_fields = ["label"]
    fields = ["position", "name", "flow", "label", "edit"]
    readonly_fields = ["edit"]
    extra = 0
    show_change_link = True

    def bot_of_parent(self, obj):
        return obj

    @admin.display(description=_("phrases"))
    def edit(self, intent: Intent) -> str:
        return _edit_link(intent, _("Phrases and synonyms"))


class FlowInline(admin.TabularInline):
    model = Flow
    fields = ["position", "key", "start", "edit"]
    readonly_fields = ["edit"]
    extra = 0

    @admin.display(description=_("steps"))
    def edit(self, flow: Flow) -> str:
        return _edit_link(flow, _("Steps"))


class BotSynonymInline(admin.TabularInline):
    model = Synonym
    fields = ["position", "language", "word", "replacement"]
    extra = 0
    verbose_name_plural = _("synonyms for every intent")

    def get_queryset(self, request):
        return super().get_queryset(request).filter(intent__isnull=True)


@admin.register(Bot)
class BotAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "default_language", "updated_at", "test_box_link"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["problems", "test_box_link", "export_link"]
    fieldsets = [
        (None, {"fields": ["name", "slug", "default_language", "languages"]}),
        (_("Conversation"), {"fields": ["start_flow", "menu", "texts"]}),
        (_("Hand-off"), {"fields": ["handoff_flow", "handoff_queue", "handoff_phrases"]}),
        (_("Check and try"), {"fields": ["problems", "test_box_link", "export_link"]}),
    ]
    inlines = [IntentInline, FlowInline, BotSynonymInline]

    def get_urls(self):
        wrap = self.admin_site.admin_view
        mine = [
            path("<int:pk>/test/", wrap(self.test_box_view), name="chatbot_bot_test"),
            path("<int:pk>/export/", wrap(self.export_view), name="chatbot_bot_export"),
        ]
        return mine + super().get_urls()

    @admin.display(description=_("Problems"))
    def problems(self, bot: Bot) -> str:
        return _report(bot)

    @admin.display(description=_("Test box"))
    def test_box_link(self, bot: Bot) -> str:
        if bot.pk is None:
            return "—"
        url = reverse("admin:chatbot_bot_test", args=[bot.pk])
        return format_html('<a href="{}">{}</a>', url, _("Try it"))

    @admin.display(description=_("YAML"))
    def export_link(self, bot: Bot) -> str:
        if bot.pk is None:
            return "—"
        url = reverse("admin:chatbot_bot_export", args=[bot.pk])
        return format_html('<a href="{}">{}</a>', url, _("Download as YAML"))

    def _bot_or_redirect(self, request, pk: int):
        bot = self.get_object(request, str(pk))
        if bot is None or not self.has_view_permission(request, bot):
            return None, self._get_obj_does_not_exist_redirect(request, self.opts, str(pk))
        return bot, None

    def test_box_view(self, request, pk: int):
        bot, refused = self._bot_or_redirect(request, pk)
        return refused or test_box_response(request, self, bot=bot)

    def export_view(self, request, pk: int):
        """The bot as the YAML `manage.py chatbot export` writes, as a download."""
        bot, refused = self._bot_or_redirect(request, pk)
        if refused:
            return refused
        text = yaml.safe_dump(export_bot(bot=bot), allow_unicode=True, sort_keys=False, width=100)
        response = HttpResponse(text, content_type="application/x-yaml; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{bot.slug}.yml"'
        return response


class _BotChildAdmin(admin.ModelAdmin):
    """Shared: the bot's problems and test box on every child page."""

    def bot_of(self, obj) -> Bot | None:
        raise NotImplementedError

    @admin.display(description=_("Problems of the bot"))
    def problems(self, obj) -> str:
        return _report(self.bot_of(obj))

    @admin.display(description=_("Bot"))
    def bot_link(self, obj) -> str:
        bot = self.bot_of(obj)
        if bot is None:
            return "—"
        test = reverse("admin:chatbot_bot_test", args=[bot.pk])
        return format_html('{} · <a href="{}">{}</a>', _edit_link(bot, bot.name), test, _("Try it"))


class PhraseInline(admin.TabularInline):
    model = IntentPhrase
    fields = ["position", "kind", "language", "text"]
    extra = 1


class IntentSynonymInline(admin.TabularInline):
    model = Synonym
    fk_name = "intent"
    fields = ["position", "language", "word", "replacement"]
    exclude = ["bot"]
    extra = 0


@admin.register(Intent)
class IntentAdmin(LanguageBoxesAdmin, _BotChildAdmin):
    text_fields = ["label"]
    list_display = ["name", "bot", "flow", "position"]
    list_filter = ["bot"]
    list_select_related = ["bot"]
    search_fields = ["name", "phrases__text"]
    fields = ["bot", "bot_link", "name", "flow", "label", "position", "problems"]
    readonly_fields = ["bot_link", "problems"]
    inlines = [PhraseInline, IntentSynonymInline]

    def bot_of(self, obj) -> Bot | None:
        return obj.bot if obj and obj.bot_id else None

    def save_formset(self, request, form, formset, change) -> None:
        # Intent synonyms belong to the intent's bot too (the bot-wide list filters them out).
        for instance in formset.save(commit=False):
            if isinstance(instance, Synonym):
                instance.bot = form.instance.bot
            instance.save()
        for obj in formset.deleted_objects:
            obj.delete()
        formset.save_m2m()


class StepInline(LanguageBoxesInline, admin.StackedInline):
    model = FlowStep
    text_fields = ["text"]
    extra = 0
    fields = [
        ("position", "key", "kind", "options_link"), "text", ("next_step", "slot", "check_kind"),
    ]  # fmt: skip
    readonly_fields = ["options_link"]

    def bot_of_parent(self, obj):
        return obj.bot

    @admin.display(description=_("more"))
    def options_link(self, step: FlowStep) -> str:
        return _edit_link(step, _("All fields and options"))


@admin.register(Flow)
class FlowAdmin(_BotChildAdmin):
    list_display = ["key", "bot", "start", "position"]
    list_filter = ["bot"]
    list_select_related = ["bot"]
    fields = ["bot", "bot_link", "key", "start", "position", "problems"]
    readonly_fields = ["bot_link", "problems"]
    inlines = [StepInline]

    def bot_of(self, obj) -> Bot | None:
        return obj.bot if obj and obj.bot_id else None


class OptionInline(LanguageBoxesInline, admin.TabularInline):
    model = StepOption
    text_fields = ["label"]
    fields = ["position", "is_choice", "label", "next_step", "value", "aliases"]
    extra = 0

    def bot_of_parent(self, obj):
        return obj.flow.bot


@admin.register(FlowStep)
class FlowStepAdmin(LanguageBoxesAdmin, _BotChildAdmin):
    text_fields = ["text", "error", "query"]
    list_display = ["key", "flow", "kind", "position"]
    list_filter = ["flow__bot", "kind"]
    list_select_related = ["flow__bot"]
    readonly_fields = ["bot_link", "problems"]
    fieldsets = [
        (None, {"fields": ["flow", "bot_link", "key", "kind", "position", "text", "next_step"]}),
        (
            _("Ask a slot"),
            {
                "fields": [
                    "slot",
                    "check_kind",
                    "check_pattern",
                    "check_transform",
                    "check_min_length",
                    "error",
                    "max_tries",
                ]
            },
        ),
        (_("Articles"), {"fields": ["query", "limit", "empty_next"]}),
        (
            _("Did it help / branch / hand-off"),
            {
                "fields": [
                    "yes_next",
                    "no_next",
                    "branch_on",
                    "cases",
                    "default_next",
                    "queue",
                ]
            },
        ),
        (_("Check"), {"fields": ["problems"]}),
    ]
    inlines = [OptionInline]

    def bot_of(self, obj) -> Bot | None:
        return obj.flow.bot if obj and obj.flow_id else None
