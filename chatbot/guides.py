"""Public guided troubleshooters: a bot flow walked step by step as plain help-center pages.

Every step is a server-rendered form (POST, then redirect, then GET), so guides work without
JavaScript. Progress lives in the session; see chatbot.guide_services for the rules.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.views.decorators.http import require_http_methods, require_POST

from . import guide_services as services

MAX_ANSWER_LENGTH = 500


def _guide(slug: str) -> services.Guide:
    guide = services.find_guide(slug, get_language())
    if guide is None:
        raise Http404
    return guide


def _visitor(request: HttpRequest) -> services.Visitor:
    return services.Visitor(
        visitor_id=getattr(request, "visitor_id", ""),
        session_id=getattr(request, "analytics_session_id", ""),
        language=get_language(),
    )


def guide_list(request: HttpRequest) -> HttpResponse:
    guides = services.list_guides(get_language())
    return render(request, "chatbot/guide_list.html", {"guides": guides})


@require_http_methods(["GET", "POST"])
def guide_step(request: HttpRequest, slug: str) -> HttpResponse:
    """Show the current step; a POST answers it and redirects, or re-shows it with the error."""
    guide = _guide(slug)
    if request.method == "GET":
        page = services.open_page(request.session, guide, _visitor(request))
        return render(request, "chatbot/guide_step.html", {"page": page})
    text = (request.POST.get("answer") or request.POST.get("text") or "").strip()
    error = services.answer(request.session, guide, _visitor(request), text[:MAX_ANSWER_LENGTH])
    if not error:
        return redirect("guide-step", slug=slug)
    page = services.open_page(request.session, guide, _visitor(request))
    context = {"page": page, "error": error, "value": request.POST.get("text", "")}
    return render(request, "chatbot/guide_step.html", context)


@require_POST
def guide_back(request: HttpRequest, slug: str) -> HttpResponse:
    services.go_back(request.session, _guide(slug))
    return redirect("guide-step", slug=slug)


@require_POST
def guide_restart(request: HttpRequest, slug: str) -> HttpResponse:
    services.restart(request.session, _guide(slug), _visitor(request))
    return redirect("guide-step", slug=slug)


def guide_contact(request: HttpRequest, slug: str) -> HttpResponse:
    """ "Talk to a person": note the guide's outcome, then go to the contact form."""
    services.leave_for_contact(request.session, _guide(slug), _visitor(request))
    return redirect("contact")
