"""Template context shared by every page: site name, text direction, languages."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import get_language_bidi


def site(request: HttpRequest) -> dict:
    return {
        "SITE_NAME": settings.SITE_NAME,
        "SUPPORT_EMAIL": settings.DEFAULT_FROM_EMAIL,
        "HELP_CENTER_WIDGET_KEY": settings.HELP_CENTER_WIDGET_KEY,
        "SHOW_CHAT_WIDGET": bool(settings.HELP_CENTER_WIDGET_KEY) and _is_self_service(request),
        "TEXT_DIR": "rtl" if get_language_bidi() else "ltr",
    }


def _is_self_service(request: HttpRequest) -> bool:
    """The chat widget accompanies the help center (articles, FAQ, search, guides), not the
    forms and the portal, which have their own ways to reach a person."""
    match = getattr(request, "resolver_match", None)
    name = getattr(match, "url_name", "") or ""
    return name == "home" or name.startswith(("kb-", "guide-"))
