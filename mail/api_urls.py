"""URLs of the mail app under /api/v1/mail/."""

from django.urls import path

from .api import InboundEmailView

urlpatterns = [path("inbound/", InboundEmailView.as_view(), name="mail-inbound")]
