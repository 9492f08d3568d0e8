"""Admin for queues, canned responses and tickets (tickets are worked in the agent desk)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import CannedResponse, Notification, Queue, Ticket, TicketChange


@admin.register(Queue)
class QueueAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "is_default", "routing_strategy", "calendar", "member_count")
    list_filter = ("routing_strategy",)
    prepopulated_fields = {"slug": ("name",)}
    filter_horizontal = ("members",)
    search_fields = ("name",)

    def get_queryset(self, request):
        from django.db.models import Count

        return super().get_queryset(request).annotate(n_members=Count("members"))

    @admin.display(description=_("members"), ordering="n_members")
    def member_count(self, obj) -> int:
        return obj.n_members


@admin.register(CannedResponse)
class CannedResponseAdmin(admin.ModelAdmin):
    list_display = ("title", "language", "queue")
    list_filter = ("language", "queue")
    search_fields = ("title", "body")


class TicketChangeInline(admin.TabularInline):
    model = TicketChange
    extra = 0
    can_delete = False
    readonly_fields = ("created_at", "field", "old", "new", "actor", "actor_contact")
    fields = readonly_fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Ticket)
class TicketAdmin(admin.ModelAdmin):
    """Read-mostly: changes to tickets go through the desk and the API (services, history)."""

    list_display = ("id", "subject", "status", "priority", "channel", "queue", "assignee",
                    "updated_at")  # fmt: skip
    list_filter = ("status", "priority", "channel", "queue")
    search_fields = ("subject", "requester__email")
    list_select_related = ("queue", "assignee")
    show_full_result_count = False
    readonly_fields = [f.name for f in Ticket._meta.concrete_fields]
    inlines = [TicketChangeInline]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return request.method == "GET" and super().has_change_permission(request, obj)


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("kind", "recipient_email", "status", "attempts", "created_at", "sent_at")
    list_filter = ("status", "kind")
    search_fields = ("recipient_email",)
    readonly_fields = [f.name for f in Notification._meta.concrete_fields]
    show_full_result_count = False


from . import admin_config  # noqa: E402, F401  (routing, SLA, automations, webhooks)
