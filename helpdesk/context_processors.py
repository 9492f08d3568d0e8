"""Template context shared by every page: site name, text direction, languages."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import get_language_bidi


def site(request: HttpRequest) -> dict:
    return {
        "SITE_NAME": settings.SITE_NAME,
        "SUPPORT_EMAIL": settings.DEFAULT_FROM_EMAIL,
        "TEXT_DIR": "rtl" if get_language_bidi() else "ltr",
    }
