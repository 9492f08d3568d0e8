"""Who may read analytics: helpdesk admins and agents granted `analytics.view_analytics`."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from rest_framework.permissions import BasePermission

from helpdesk.permissions import agent_required

PERMISSION = "analytics.view_analytics"


def can_view_analytics(user) -> bool:
    """Admins, and supervisors: agents given the analytics permission (directly or by group)."""
    if not (user and user.is_authenticated and user.is_agent):
        return False
    return user.is_helpdesk_admin or user.has_perm(PERMISSION)


def analytics_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Anonymous → login; customers → 404 (the desk's rule); agents without the right → 403."""

    @agent_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not can_view_analytics(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


class CanViewAnalytics(BasePermission):
    def has_permission(self, request, view) -> bool:
        return can_view_analytics(request.user)
