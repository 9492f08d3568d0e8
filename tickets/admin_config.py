"""Admin for routing, business hours, SLA policies, automations (with a dry run), macros,
webhooks and their delivery log."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .automation import AutomationSpecError
from .models import (
    AgentStatus,
    Automation,
    BusinessHours,
    Holiday,
    Macro,
    SlaPolicy,
    TicketSla,
    Webhook,
    WebhookDelivery,
)
from .services.automations import preview
from .services.webhooks import redeliver


class HolidayInline(admin.TabularInline):
    model = Holiday
    extra = 1


@admin.register(BusinessHours)
class BusinessHoursAdmin(admin.ModelAdmin):
    list_display = ("name", "timezone", "updated_at")
    search_fields = ("name",)
    inlines = [HolidayInline]


@admin.register(SlaPolicy)
class SlaPolicyAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "position",
        "is_active",
        "first_response_minutes",
        "next_response_minutes",
        "resolution_minutes",
        "calendar",
    )
    list_editable = ("position", "is_active")
    list_filter = ("is_active",)
    filter_horizontal = ("queues", "organisations")
    autocomplete_fields = ("notify_user", "reassign_to")
    fieldsets = (
        (None, {"fields": ("name", "position", "is_active", "calendar")}),
        (
            _("Conditions (empty: any)"),
            {"fields": ("priorities", "channels", "queues", "organisations")},
        ),
        (
            _("Targets in business minutes"),
            {
                "fields": (
                    "first_response_minutes",
                    "next_response_minutes",
                    "resolution_minutes",
                    "warning_percent",
                )
            },
        ),
        (_("Escalation on breach"), {"fields": ("notify_user", "raise_priority", "reassign_to")}),
    )


@admin.register(TicketSla)
class TicketSlaAdmin(admin.ModelAdmin):
    """Read-only: the SLA clocks are kept by the ticket services and the minute check."""

    list_display = ("ticket", "policy", "status", "next_due_at", "is_paused")
    list_filter = ("status", "policy")
    list_select_related = ("ticket", "policy")
    show_full_result_count = False
    readonly_fields = [f.name for f in TicketSla._meta.concrete_fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return request.method == "GET" and super().has_change_permission(request, obj)

    @admin.display(boolean=True, description=_("paused"))
    def is_paused(self, obj: TicketSla) -> bool:
        return obj.is_paused


@admin.register(AgentStatus)
class AgentStatusAdmin(admin.ModelAdmin):
    list_display = ("user", "availability", "capacity", "skills", "last_seen_at")
    list_filter = ("availability",)
    search_fields = ("user__email", "user__name")
    readonly_fields = ("last_seen_at", "last_assigned_at", "is_auto_away")
    autocomplete_fields = ("user",)


@admin.register(Automation)
class AutomationAdmin(admin.ModelAdmin):
    list_display = ("name", "trigger", "position", "is_active", "preview_link")
    list_editable = ("position", "is_active")
    list_filter = ("trigger", "is_active")
    search_fields = ("name",)
    actions = ["preview_selected"]

    def get_urls(self):
        preview_url = path(
            "<int:pk>/preview/",
            self.admin_site.admin_view(self.preview_view),
            name="tickets_automation_preview",
        )
        return [preview_url, *super().get_urls()]

    @admin.display(description=_("dry run"))
    def preview_link(self, obj: Automation) -> str:
        url = reverse("admin:tickets_automation_preview", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("Preview"))

    def preview_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        """The tickets the rule would change now, with the actions; nothing is changed."""
        automation = get_object_or_404(Automation, pk=pk)
        if not self.has_view_permission(request, automation):
            raise PermissionDenied
        try:
            rows, error = preview(automation), ""
        except AutomationSpecError as exc:
            rows, error = [], str(exc)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "automation": automation,
            "rows": rows,
            "error": error,
            "title": _("Dry run: %(name)s") % {"name": automation.name},
        }
        return TemplateResponse(request, "admin/tickets/automation/preview.html", context)

    @admin.action(description=_("Dry run the selected automations"))
    def preview_selected(self, request: HttpRequest, queryset) -> None:
        for automation in queryset:
            count = len(preview(automation))
            messages.info(
                request,
                ngettext(
                    "%(name)s would change %(count)d ticket now.",
                    "%(name)s would change %(count)d tickets now.",
                    count,
                )
                % {"name": automation.name, "count": count},
            )


@admin.register(Macro)
class MacroAdmin(admin.ModelAdmin):
    list_display = ("name", "queue", "is_active")
    list_filter = ("is_active", "queue")
    search_fields = ("name",)


@admin.register(Webhook)
class WebhookAdmin(admin.ModelAdmin):
    list_display = ("name", "url", "is_active", "created_at", "delivery_log")
    list_filter = ("is_active",)
    search_fields = ("name", "url")

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "url":
            kwargs["assume_scheme"] = "https"
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    @admin.display(description=_("deliveries"))
    def delivery_log(self, obj: Webhook) -> str:
        url = reverse("admin:tickets_webhookdelivery_changelist")
        return format_html('<a href="{}?webhook__id__exact={}">{}</a>', url, obj.pk, _("Log"))


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    """The delivery log: every attempt's outcome; failed ones can be sent again."""

    list_display = (
        "created_at",
        "webhook",
        "event",
        "status",
        "attempts",
        "response_status",
        "next_attempt_at",
    )
    list_filter = ("status", "event", "webhook")
    list_select_related = ("webhook",)
    readonly_fields = [f.name for f in WebhookDelivery._meta.concrete_fields]
    show_full_result_count = False
    actions = ["send_again"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    @admin.action(description=_("Send the selected deliveries again"))
    def send_again(self, request: HttpRequest, queryset) -> None:
        copies = [redeliver(delivery) for delivery in queryset.select_related("webhook")]
        messages.success(
            request,
            ngettext("%(count)d delivery queued.", "%(count)d deliveries queued.", len(copies))
            % {"count": len(copies)},
        )
