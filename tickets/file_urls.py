"""Attachment downloads (permission-checked; never served inline)."""

from django.urls import path

from .views import attachments

urlpatterns = [
    path("<int:pk>/<str:filename>", attachments.attachment_download, name="ticket-attachment"),
]
