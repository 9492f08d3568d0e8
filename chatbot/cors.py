"""Per-widget CORS for the chat API: the exact origin is echoed only when that widget allows it.

django-cors-headers has an empty allow-list for these URLs (settings.CORS_ALLOWED_ORIGINS), so it
adds no headers here; every decision is made against the widget the request belongs to.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.http import HttpRequest, HttpResponse, JsonResponse

ALLOWED_HEADERS = "X-Chat-Token, Content-Type, Idempotency-Key, If-None-Match"
ALLOWED_METHODS = "GET, POST, OPTIONS"
EXPOSED_HEADERS = "ETag"
PREFLIGHT_MAX_AGE = "600"


def request_origin(request: HttpRequest) -> str | None:
    """The Origin header as sent (None when absent: same-origin or not a browser)."""
    origin = request.headers.get("Origin")
    return origin.strip() if origin is not None else None


def origin_refusal(origin: str | None, allowed: Iterable[str]) -> JsonResponse | None:
    """403 when a browser sends an origin this widget does not list (or the opaque `null`)."""
    if origin is None:
        return None
    if origin == "null" or origin not in set(allowed):
        detail = f"The origin {origin} may not use this chat widget."
        return JsonResponse({"detail": detail}, status=403)
    return None


def add_cors_headers(response: HttpResponse, origin: str | None, allowed: Iterable[str]) -> None:
    """Echo the exact origin when allowed; never a wildcard, never credentials."""
    response["Vary"] = _vary(response.get("Vary"))
    if origin and origin != "null" and origin in set(allowed):
        response["Access-Control-Allow-Origin"] = origin
        response["Access-Control-Expose-Headers"] = EXPOSED_HEADERS


def preflight(request: HttpRequest, allowed: Iterable[str]) -> HttpResponse:
    """Answer an OPTIONS preflight: 204 with the allowed headers, or 403 for other origins."""
    origin = request_origin(request)
    refusal = origin_refusal(origin, allowed)
    if refusal is not None:
        return refusal
    response = HttpResponse(status=204)
    add_cors_headers(response, origin, allowed)
    response["Access-Control-Allow-Methods"] = ALLOWED_METHODS
    response["Access-Control-Allow-Headers"] = ALLOWED_HEADERS
    response["Access-Control-Max-Age"] = PREFLIGHT_MAX_AGE
    return response


def _vary(current: str | None) -> str:
    values = [v.strip() for v in (current or "").split(",") if v.strip()]
    if "origin" not in {v.lower() for v in values}:
        values.append("Origin")
    return ", ".join(values)
