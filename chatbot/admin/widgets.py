"""Admin: chat widgets (sites, hours, secret) and the bot each one runs, with a test box."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from chatbot.models import Widget, business_hours_errors, holiday_dates, time_zone_error

from .testbox import test_box_response


class WidgetForm(forms.ModelForm):
    class Meta:
        model = Widget
        fields = [
            "name", "public_key", "identity_secret", "bot", "allowed_origins", "default_language",
            "is_active", "time_zone", "business_hours", "holidays",
        ]  # fmt: skip

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


@admin.register(Widget)
class WidgetAdmin(admin.ModelAdmin):
    form = WidgetForm
    list_display = [
        "name", "public_key", "bot", "is_active", "default_language", "time_zone",
        "test_box_link",
    ]  # fmt: skip
    search_fields = ["name", "public_key"]
    list_select_related = ["bot"]
    autocomplete_fields = ["bot"]

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
        """Run one sample message through the widget's bot, with the widget's hours."""
        widget = self.get_object(request, str(pk))
        if widget is None or not self.has_view_permission(request, widget):
            return self._get_obj_does_not_exist_redirect(request, self.opts, str(pk))
        return test_box_response(request, self, bot=widget.bot, widget=widget)
