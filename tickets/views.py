"""Agent desk views."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from helpdesk.permissions import agent_required


@agent_required
def desk_home(request: HttpRequest) -> HttpResponse:
    """The agent desk's start page."""
    return render(request, "tickets/desk_home.html")
