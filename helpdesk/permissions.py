"""Role checks shared by views and the API: who is an agent, who is an admin."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from rest_framework.permissions import BasePermission


def agent_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Send anonymous users to the login page; signed-in non-agents get a 404, not a 403."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not request.user.is_agent:
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


class IsAgent(BasePermission):
    """API access for agents and admins only."""

    def has_permission(self, request, view) -> bool:
        return bool(request.user and request.user.is_authenticated and request.user.is_agent)


class IsHelpdeskAdmin(BasePermission):
    """API access for helpdesk admins only."""

    def has_permission(self, request, view) -> bool:
        user = request.user
        return bool(user and user.is_authenticated and user.is_helpdesk_admin)
