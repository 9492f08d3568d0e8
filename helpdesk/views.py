"""Core views: health and the shared error pages."""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache

from .health import run_checks


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """JSON status of each dependency; 503 when the database is unreachable."""
    checks = run_checks()
    degraded = any(c["status"] != "ok" for c in checks.values())
    is_down = checks["database"]["status"] != "ok"
    status = "down" if is_down else ("degraded" if degraded else "ok")
    return JsonResponse({"status": status, "checks": checks}, status=503 if is_down else 200)
