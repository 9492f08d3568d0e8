"""Customer portal: my requests, one request's public conversation, magic links, fresh links."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_ratelimit.decorators import ratelimit

from ..forms import LinkRequestForm, RatingForm, ReplyForm
from ..models import Attachment, Message, Status, Ticket
from ..selectors import visible_tickets
from ..services import TicketError, add_message, mark_solved_by_requester, rate_ticket
from ..services.portal import (
    grant_ticket_access,
    granted_ticket_ids,
    has_ticket_access,
    send_fresh_link,
)
from ..tokens import read_ticket_token


def private(policy: str = "same-origin") -> Callable:
    """Never cached, and named in a Referer to our own pages at most.

    Pages with forms cannot use "no-referrer": browsers then send `Origin: null` with the
    POST and Django's CSRF check rightly refuses it. Only the token URL, which never renders
    a page, uses "no-referrer".
    """

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            response = view(request, *args, **kwargs)
            add_never_cache_headers(response)
            response["Referrer-Policy"] = policy
            return response

        return wrapper

    return decorator


def _own_tickets(user):
    """The signed-in person's own requests (for an agent too: only what they asked themselves)."""
    return visible_tickets(user).filter(requester__user=user)


def portal_ticket_for(request: HttpRequest, pk: int) -> Ticket:
    """The ticket if this browser may see it as its customer; Http404 otherwise."""
    ticket = Ticket.objects.select_related("requester").filter(pk=pk).first()
    if ticket is None:
        raise Http404
    if has_ticket_access(request.session, ticket=ticket):
        return ticket
    if request.user.is_authenticated and _own_tickets(request.user).filter(pk=pk).exists():
        return ticket
    raise Http404


@private()
@require_GET
def portal_home(request: HttpRequest) -> HttpResponse:
    """My requests: those of my account, plus any this browser opened through a link."""
    granted = Ticket.objects.filter(pk__in=granted_ticket_ids(request.session))
    granted = [t for t in granted if has_ticket_access(request.session, ticket=t)]
    if not request.user.is_authenticated and not granted:
        return redirect_to_login(request.get_full_path())
    own = list(_own_tickets(request.user)) if request.user.is_authenticated else []
    tickets = {t.pk: t for t in [*own, *granted]}.values()
    tickets = sorted(tickets, key=lambda t: (t.updated_at, t.pk), reverse=True)
    return render(request, "tickets/portal/home.html", {"tickets": tickets})


def _render_ticket(request, ticket, *, reply_form=None, rating_form=None, status=200):
    public = Message.objects.public().select_related("author_user")
    attachments = Prefetch("attachments", queryset=Attachment.objects.order_by("pk"))
    context = {
        "ticket": ticket,
        "conversation": public.filter(ticket=ticket).prefetch_related(attachments),
        "reply_form": reply_form or ReplyForm(),
        "rating_form": rating_form or RatingForm(initial={"rating": ticket.satisfaction}),
        "can_reply": ticket.status != Status.CLOSED,
        "can_solve": ticket.is_open,
        "can_rate": ticket.status in (Status.SOLVED, Status.CLOSED),
        "had_files": bool(request.FILES),
    }
    return render(request, "tickets/portal/ticket.html", context, status=status)


@private()
@require_http_methods(["GET", "POST"])
def portal_ticket(request: HttpRequest, pk: int) -> HttpResponse:
    """One request's public conversation; a POST is the customer's reply."""
    ticket = portal_ticket_for(request, pk)
    if request.method == "GET":
        return _render_ticket(request, ticket)
    form = ReplyForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            add_message(
                ticket=ticket, body=form.cleaned_data["message"],
                author_contact=ticket.requester, files=form.cleaned_data["attachments"],
            )  # fmt: skip
        except TicketError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Your reply was sent."))
            return redirect("portal-ticket", pk=ticket.pk)
    return _render_ticket(request, ticket, reply_form=form, status=400)


@private()
@require_POST
def portal_ticket_solve(request: HttpRequest, pk: int) -> HttpResponse:
    """The customer says the problem is solved; they can rate it next."""
    ticket = portal_ticket_for(request, pk)
    try:
        mark_solved_by_requester(ticket=ticket, contact=ticket.requester)
    except TicketError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Marked as solved. How did we do?"))
    return redirect("portal-ticket", pk=ticket.pk)


@private()
@require_POST
def portal_ticket_rate(request: HttpRequest, pk: int) -> HttpResponse:
    """Good or bad, with an optional comment, once the request is solved."""
    ticket = portal_ticket_for(request, pk)
    form = RatingForm(request.POST)
    if not form.is_valid():
        return _render_ticket(request, ticket, rating_form=form, status=400)
    try:
        rate_ticket(
            ticket=ticket, rating=form.cleaned_data["rating"],
            comment=form.cleaned_data["comment"], contact=ticket.requester,
        )  # fmt: skip
    except TicketError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Thank you for rating our help."))
    return redirect("portal-ticket", pk=ticket.pk)


@private("no-referrer")
@require_GET
def portal_ticket_link(request: HttpRequest, token: str) -> HttpResponse:
    """Open a request from an email link, then continue on an address without the token.

    The token URL only ever redirects, so the token is never the address of a rendered page
    (nor in its history entry, its Referer, or a screenshot of it).
    """
    ids = read_ticket_token(token)
    ticket = None
    if ids is not None:
        ticket = Ticket.objects.filter(pk=ids[0], requester_id=ids[1]).first()
    if ticket is None:
        return redirect(f"{reverse('portal-link-request')}?expired=1")
    grant_ticket_access(request.session, ticket=ticket)
    return redirect("portal-ticket", pk=ticket.pk)


@private()
@require_http_methods(["GET", "POST"])
@ratelimit(key="ip", rate="10/h", method="POST", block=False)
def portal_link_request(request: HttpRequest) -> HttpResponse:
    """Email a fresh link; the answer is the same whether or not the request exists."""
    form = LinkRequestForm(request.POST or None)
    is_sent = request.method == "POST" and form.is_valid()
    if is_sent and not getattr(request, "limited", False):
        send_fresh_link(email=form.cleaned_data["email"], reference=form.cleaned_data["reference"])
    status = 400 if form.is_bound and not is_sent else 200
    context = {"form": form, "is_sent": is_sent, "is_expired": "expired" in request.GET}
    return render(request, "tickets/portal/link_request.html", context, status=status)
