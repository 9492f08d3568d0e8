"""Desk pages of the customers app, mounted at /desk/customers/."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.contact_list, name="desk-contacts"),
    path("segments/", views.segment_create, name="desk-segment-create"),
    path("export.csv", views.contacts_csv, name="desk-contacts-csv"),
    path("imports/", views.contact_imports, name="desk-contact-imports"),
    path("<int:pk>/", views.contact_detail, name="desk-contact"),
    path("<int:pk>/timeline-panel", views.contact_timeline_panel, name="desk-contact-panel"),
    path("<int:pk>/edit", views.contact_edit, name="desk-contact-edit"),
    path("<int:pk>/merge", views.contact_merge, name="desk-contact-merge"),
    path("<int:pk>/privacy-export", views.contact_privacy_export, name="desk-contact-export"),
    path("<int:pk>/erase", views.contact_erase, name="desk-contact-erase"),
]
