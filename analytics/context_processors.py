"""Template context of the analytics app: whether the desk links to the dashboards."""

from __future__ import annotations

from django.http import HttpRequest

from .permissions import shows_analytics_link


def analytics_link(request: HttpRequest) -> dict:
    # A callable: templates call it only where they ask (the desk's navigation).
    return {"show_analytics_link": lambda: shows_analytics_link(getattr(request, "user", None))}
