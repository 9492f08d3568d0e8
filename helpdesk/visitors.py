"""Anonymous visitor and analytics-session ids, kept in first-party cookies."""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

VISITOR_COOKIE = "hd_vid"
SESSION_COOKIE = "hd_sid"
VISITOR_MAX_AGE = 365 * 24 * 3600
# An analytics session ends after 30 minutes without a request (the usual web convention).
SESSION_IDLE_SECONDS = 30 * 60
_VALID_ID = re.compile(r"^[0-9a-f]{32}$")


def _read_id(request: HttpRequest, name: str) -> str | None:
    value = request.COOKIES.get(name, "")
    return value if _VALID_ID.match(value) else None


class VisitorMiddleware:
    """Give every browser a random visitor id and a sliding 30-minute session id.

    The ids carry no personal data; analytics joins events on them, and votes are
    deduplicated per visitor.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        visitor = _read_id(request, VISITOR_COOKIE)
        session = _read_id(request, SESSION_COOKIE)
        request.visitor_id = visitor or secrets.token_hex(16)
        request.analytics_session_id = session or secrets.token_hex(16)
        response = self.get_response(request)
        if not request.path.startswith(("/static/", "/healthz", "/api/")):
            cookie = {"secure": settings.SESSION_COOKIE_SECURE, "httponly": True, "samesite": "Lax"}
            if visitor is None:
                response.set_cookie(VISITOR_COOKIE, request.visitor_id, VISITOR_MAX_AGE, **cookie)
            response.set_cookie(
                SESSION_COOKIE, request.analytics_session_id, SESSION_IDLE_SECONDS, **cookie
            )
        return response
