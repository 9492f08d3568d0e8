"""Template helpers shared by every layout: language alternates for hreflang and the switcher."""

from __future__ import annotations

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language_info

register = template.Library()


@register.simple_tag
def ui_languages() -> list[dict]:
    """Every UI language's code, native name and direction, for the language switcher (no URL
    is built: the switcher posts to set_language, which translates the page's URL itself)."""
    return [
        {"code": code, "name": get_language_info(code)["name_local"],
         "bidi": get_language_info(code)["bidi"]}
        for code, _name in settings.LANGUAGES
    ]  # fmt: skip


@register.simple_tag(takes_context=True)
def language_alternates(context) -> list[dict]:
    """Every UI language with this page's URL in it, its native name and its direction."""
    request = context.get("request")
    path = request.get_full_path() if request else "/"
    alternates = []
    for code, _name in settings.LANGUAGES:
        info = get_language_info(code)
        url = translate_url(path, code)
        alternates.append(
            {
                "code": code,
                "name": info["name_local"],
                "bidi": info["bidi"],
                "url": url,
                "absolute_url": request.build_absolute_uri(url) if request else url,
            }
        )
    return alternates
