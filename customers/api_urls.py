"""Customer API routes, mounted at /api/v1/."""

from django.urls import path

from . import api

urlpatterns = [
    path("contacts/", api.ContactListView.as_view(), name="api-contacts"),
    path("contacts/export.csv", api.ContactCsvExportView.as_view(), name="api-contacts-csv"),
    path("contacts/<int:pk>/", api.ContactDetailView.as_view(), name="api-contact"),
    path(
        "contacts/<int:pk>/timeline/",
        api.ContactTimelineView.as_view(),
        name="api-contact-timeline",
    ),
    path("contacts/<int:pk>/merge", api.ContactMergeView.as_view(), name="api-contact-merge"),
    path(
        "contacts/<int:pk>/privacy-export",
        api.ContactPrivacyExportView.as_view(),
        name="api-contact-privacy-export",
    ),
    path("contacts/<int:pk>/erase", api.ContactEraseView.as_view(), name="api-contact-erase"),
    path("organisations/", api.OrganisationListView.as_view(), name="api-organisations"),
    path(
        "organisations/export.csv",
        api.OrganisationCsvExportView.as_view(),
        name="api-organisations-csv",
    ),
    path("organisations/<int:pk>/", api.OrganisationDetailView.as_view(), name="api-organisation"),
    path(
        "attribute-definitions/",
        api.AttributeDefinitionListView.as_view(),
        name="api-attribute-definitions",
    ),
    path(
        "attribute-definitions/<int:pk>/",
        api.AttributeDefinitionDetailView.as_view(),
        name="api-attribute-definition",
    ),
    path("segments/", api.SegmentListView.as_view(), name="api-segments"),
    path("segments/<int:pk>/", api.SegmentDetailView.as_view(), name="api-segment"),
    path("contact-imports/", api.ImportListView.as_view(), name="api-contact-imports"),
    path("contact-imports/<int:pk>/", api.ImportDetailView.as_view(), name="api-contact-import"),
    path(
        "contact-imports/<int:pk>/errors.csv",
        api.ImportErrorsView.as_view(),
        name="api-contact-import-errors",
    ),
]
