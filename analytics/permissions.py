"""Who may read analytics: helpdesk admins and agents granted `analytics.view_analytics`."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from rest_framework.permissions import BasePermission

from helpdesk.config_cache import cached_config
from helpdesk.permissions import agent_required

PERMISSION = "analytics.view_analytics"
VIEWERS_CONFIG = "analytics-viewers"


def can_view_analytics(user) -> bool:
    """Admins, and supervisors: agents given the analytics permission (directly or by group)."""
    if not (user and user.is_authenticated and user.is_agent):
        return False
    return user.is_helpdesk_admin or user.has_perm(PERMISSION)


def shows_analytics_link(user) -> bool:
    """can_view_analytics() without a query per page: the desk's navigation asks on every page.

    Agents granted the permission are a cached config, reread after a change to users,
    groups or their permissions (apps.py)."""
    if not (user and user.is_authenticated and user.is_agent):
        return False
    return user.is_helpdesk_admin or user.pk in analytics_viewer_ids()


def analytics_viewer_ids() -> frozenset[int]:
    def load() -> frozenset[int]:
        from django.contrib.auth import get_user_model
        from django.contrib.auth.models import Permission
        from django.db.models import Q

        app_label, codename = PERMISSION.split(".")
        granted = Permission.objects.filter(content_type__app_label=app_label, codename=codename)
        grant = Q(user_permissions__in=granted) | Q(groups__permissions__in=granted)
        viewers = get_user_model().objects.filter(Q(is_superuser=True) | grant, is_active=True)
        return frozenset(viewers.values_list("pk", flat=True))

    return cached_config(VIEWERS_CONFIG, load)


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
