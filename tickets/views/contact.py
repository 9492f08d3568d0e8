"""The public contact form: suggest articles while typing, then open a ticket, no account needed."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.views.decorators.http import require_GET, require_http_methods
from django_ratelimit.decorators import ratelimit

from customers.services import contact_for_user, get_or_create_contact

from ..forms import ContactForm
from ..models import Channel, Ticket
from ..services import TicketError, create_ticket
from .portal import private

CONTACT_RATE = "10/h"
# The confirmation's reference travels in a short-lived signed cookie rather than the session:
# an anonymous visitor's message then costs no session row (a write and a commit of its own).
SENT_COOKIE = "hd_contact_sent"
SENT_SALT = "tickets.contact.sent"
SENT_MAX_AGE = 600


def _initial(request: HttpRequest) -> dict:
    user = request.user
    return {"name": user.name, "email": user.email} if user.is_authenticated else {}


def _requester(request: HttpRequest, data: dict):
    user = request.user
    if user.is_authenticated and data["email"].lower() == user.email.lower():
        return contact_for_user(user)  # so the request shows up in their portal
    return get_or_create_contact(email=data["email"], name=data["name"], language=get_language())


def _open_ticket(request: HttpRequest, data: dict) -> Ticket:
    # Only the form's own fields are passed on: anything else posted (queue, assignee,
    # priority, ...) never reaches the service.
    return create_ticket(
        subject=data["subject"], body=data["message"], requester=_requester(request, data),
        channel=Channel.WEB, files=data["attachments"], language=get_language(),
        idempotency_key=str(data["form_id"]), idempotency_scope="form",
        session_id=request.analytics_session_id,
    )  # fmt: skip


@require_http_methods(["GET", "POST"])
@ratelimit(key="ip", rate=CONTACT_RATE, method="POST", block=False)
def contact(request: HttpRequest) -> HttpResponse:
    """Bind, open the ticket through the service, then redirect to the confirmation."""
    if getattr(request, "limited", False):
        response = render(request, "tickets/contact_limited.html", status=429)
        response["Retry-After"] = "3600"
        return response
    form = ContactForm(request.POST or None, request.FILES or None, initial=_initial(request))
    if form.is_bound and form.is_bot:
        return redirect("contact-sent")  # the same answer as for people; nothing is stored
    if form.is_bound and form.is_valid():
        try:
            ticket = _open_ticket(request, form.cleaned_data)
        except TicketError as error:
            form.add_error(None, str(error))
            form.data = form.data.copy()  # a fresh id, so the corrected form can be sent
            form.data["form_id"] = str(uuid.uuid4())
        else:
            response = redirect("contact-sent")
            response.set_signed_cookie(
                SENT_COOKIE, ticket.reference, salt=SENT_SALT, max_age=SENT_MAX_AGE,
                path=reverse("contact-sent"), secure=settings.SESSION_COOKIE_SECURE,
                httponly=True, samesite="Lax",
            )  # fmt: skip
            return response
    context = {"form": form, "had_files": bool(request.FILES)}
    return render(request, "tickets/contact.html", context, status=400 if form.is_bound else 200)


@private()
@require_GET
def contact_sent(request: HttpRequest) -> HttpResponse:
    """The confirmation, with the reference (kept in a signed cookie, never in the URL)."""
    reference = request.get_signed_cookie(
        SENT_COOKIE, default="", salt=SENT_SALT, max_age=SENT_MAX_AGE
    )
    return render(request, "tickets/contact_sent.html", {"reference": reference})
