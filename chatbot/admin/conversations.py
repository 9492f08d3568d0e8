"""Admin: conversation transcripts, read-only."""

from __future__ import annotations

from django.contrib import admin

from chatbot.models import Conversation, ConversationMessage


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
    list_filter = ["status", ("abandoned_at", admin.EmptyFieldListFilter), "widget", "language"]
    list_select_related = ["widget", "contact", "ticket"]
    inlines = [MessageInline]
    exclude = ["token_hash"]

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in Conversation._meta.fields if f.name != "token_hash"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
