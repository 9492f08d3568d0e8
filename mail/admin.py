"""Admin for mailboxes and received mail (the raw message is downloadable for inspection)."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from helpdesk.files import file_response

from .imap import poll_mailbox
from .models import InboundEmail, Mailbox
from .services import retry_failed_emails


@admin.register(Mailbox)
class MailboxAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "host",
        "username",
        "folder",
        "is_active",
        "last_polled_at",
        "last_error",
    )
    readonly_fields = ("uid_validity", "last_uid", "last_polled_at", "last_error")
    actions = ["poll_now"]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.base_fields["password"].widget = forms.PasswordInput(render_value=True)
        return form

    @admin.action(description=_("Poll the selected mailboxes now"))
    def poll_now(self, request, queryset) -> None:
        for mailbox in queryset:
            result = poll_mailbox(mailbox)
            level = messages.ERROR if result.error else messages.SUCCESS
            text = result.error or _("%(n)s messages fetched") % {"n": result.fetched}
            self.message_user(request, f"{mailbox.name}: {text}", level)


@admin.register(InboundEmail)
class InboundEmailAdmin(admin.ModelAdmin):
    list_display = ("received_at", "from_address", "subject", "status", "source", "ticket")
    list_filter = ("status", "source")
    search_fields = ("from_address", "subject", "rfc_message_id")
    raw_id_fields = ("contact", "ticket", "message", "mailbox")
    readonly_fields = [f.name for f in InboundEmail._meta.fields if f.name != "raw"] + ["original"]
    exclude = ("raw",)

    @admin.display(description=_("original message"))
    def original(self, obj: InboundEmail) -> str:
        if not obj.pk or not obj.raw:
            return "—"
        url = reverse("admin:mail_inboundemail_raw", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("Download .eml"))

    def get_urls(self):
        raw = self.admin_site.admin_view(self.raw_view)
        return [
            path("<int:pk>/raw/", raw, name="mail_inboundemail_raw"),
            *super().get_urls(),
        ]

    def raw_view(self, request, pk: int):
        """The stored original, only as a download (it is untrusted content)."""
        inbound = get_object_or_404(InboundEmail, pk=pk)
        if not self.has_view_permission(request, inbound) or not inbound.raw:
            raise Http404
        return file_response(
            inbound.raw, filename=f"message-{pk}.eml", content_type="message/rfc822"
        )

    show_full_result_count = False
    actions = ["retry"]

    def has_add_permission(self, request) -> bool:
        return False

    @admin.action(description=_("Process the selected messages again"))
    def retry(self, request, queryset) -> None:
        done = retry_failed_emails(queryset)
        self.message_user(request, _("%(n)s messages processed again") % {"n": done})
