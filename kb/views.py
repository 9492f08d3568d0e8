"""Public help-center views."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def home(request: HttpRequest) -> HttpResponse:
    """The help-center home: search box and the ways to get help."""
    return render(request, "kb/home.html")
