"""Admin for contacts, organisations, attribute definitions, segments, imports and the audit log."""

from __future__ import annotations

import json

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _

from .models import (
    AttributeDefinition,
    AttributeTarget,
    AuditLog,
    Contact,
    ContactEmail,
    ContactIdentity,
    ImportJob,
    Organisation,
    Segment,
)
from .services import ContactError, erase_contact, export_contact_data, merge_contacts
from .services.attributes import validate_attributes


class _AttributesForm(forms.ModelForm):
    """Custom attributes typed in admin are checked against their definitions (the admin
    builds the form's Meta from the ModelAdmin)."""

    attribute_target = ""

    def clean_attributes(self):
        values = self.cleaned_data["attributes"] or {}
        try:
            return validate_attributes(target=self.attribute_target, values=values)
        except ValidationError as exc:
            raise ValidationError(exc.messages) from None


class ContactForm(_AttributesForm):
    attribute_target = AttributeTarget.CONTACT


class OrganisationForm(_AttributesForm):
    attribute_target = AttributeTarget.ORGANISATION


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    form = OrganisationForm
    list_display = ("name", "created_at")
    search_fields = ("name",)


class ContactEmailInline(admin.TabularInline):
    model = ContactEmail
    extra = 0


class ContactIdentityInline(admin.TabularInline):
    model = ContactIdentity
    extra = 0
    readonly_fields = ("source", "external_id", "created_at")


@admin.register(Contact)
class ContactAdmin(admin.ModelAdmin):
    form = ContactForm
    list_display = ("email", "name", "organisation", "language", "created_at", "erased_at")
    list_filter = ("language", "tags")
    search_fields = ("email", "name")
    list_select_related = ("organisation",)
    raw_id_fields = ("user", "organisation")
    filter_horizontal = ("tags",)
    inlines = [ContactEmailInline, ContactIdentityInline]
    show_full_result_count = False
    actions = ["privacy_export", "erase", "merge_into_first"]

    @admin.action(description=_("Privacy export (JSON) of the selected contacts"))
    def privacy_export(self, request, queryset):
        data = [export_contact_data(contact=c, actor=request.user) for c in queryset[:50]]
        response = HttpResponse(
            json.dumps(data, indent=2, ensure_ascii=False, default=str),
            content_type="application/json; charset=utf-8",
        )
        response["Content-Disposition"] = 'attachment; filename="contacts-export.json"'
        return response

    @admin.action(
        description=_("Erase personal data of the selected contacts"), permissions=["delete"]
    )
    def erase(self, request, queryset) -> None:
        done = 0
        for contact in queryset.filter(erased_at__isnull=True):
            erase_contact(contact=contact, actor=request.user)
            done += 1
        self.message_user(request, _("%(n)s contacts erased.") % {"n": done})

    @admin.action(description=_("Merge the selected contacts into the oldest one"))
    def merge_into_first(self, request, queryset) -> None:
        contacts = list(queryset.order_by("created_at", "pk"))
        try:
            for duplicate in contacts[1:]:
                merge_contacts(source=duplicate, target=contacts[0], actor=request.user)
        except ContactError as exc:
            self.message_user(request, str(exc), messages.ERROR)
            return
        self.message_user(request, _("Merged into %(c)s.") % {"c": contacts[0]})


@admin.register(AttributeDefinition)
class AttributeDefinitionAdmin(admin.ModelAdmin):
    list_display = ("label", "key", "target", "type", "is_required")
    list_filter = ("target", "type")


@admin.register(Segment)
class SegmentAdmin(admin.ModelAdmin):
    list_display = ("name", "created_by", "created_at")


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    list_display = ("created_at", "kind", "status", "processed_rows", "total_rows", "error_count")
    readonly_fields = [f.name for f in ImportJob._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(AuditLog)
class AuditLogAdmin(admin.ModelAdmin):
    list_display = ("created_at", "action", "contact_id", "actor")
    list_filter = ("action",)
    readonly_fields = ("action", "contact_id", "actor", "detail", "created_at")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
