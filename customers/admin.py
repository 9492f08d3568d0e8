"""Admin for contacts and organisations."""

from django.contrib import admin

from .models import Contact, Organisation


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("name", "created_at")
    search_fields = ("name",)


@admin.register(Contact)
class ContactAdmin(admin.ModelAdmin):
    list_display = ("email", "name", "organisation", "language", "created_at")
    list_filter = ("language",)
    search_fields = ("email", "name")
    list_select_related = ("organisation",)
    raw_id_fields = ("user", "organisation")
    show_full_result_count = False
