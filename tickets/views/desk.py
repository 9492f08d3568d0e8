"""Agent desk: the ticket list with its views, filters and keyset pages, and bulk actions."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from helpdesk.permissions import agent_required

from ..listing import FilterForm, Filters, InvalidCursor, filter_tickets, paginate, sidebar_views
from ..models import Availability, Status
from ..selectors import visible_tickets
from ..services.bulk import bulk_update_tickets
from ..services.routing import availability_of
from .desk_forms import BulkForm


@agent_required
def desk_home(request: HttpRequest) -> HttpResponse:
    """The ticket list: a sidebar view, filters, sorting and keyset pagination."""
    form = FilterForm(request.GET, user=request.user)
    form.is_valid()
    filters = Filters.from_form(form)
    tickets = filter_tickets(visible_tickets(request.user), filters, request.user)
    tickets = tickets.select_related("requester", "queue", "assignee", "sla")
    try:
        cursor = request.GET.get("cursor", "")
        page = paginate(tickets, sort=filters.sort, cursor=cursor, size=filters.size)
    except InvalidCursor:
        messages.warning(request, _("That page link is no longer valid; showing the first page."))
        page = paginate(tickets, sort=filters.sort, size=filters.size)
    # The sidebar's counts cost one COUNT per view: they arrive in a second request
    # (desk_view_counts, loaded by htmx), so the list itself is not kept waiting.
    views = sidebar_views(request.user, counted=False)
    context = {
        "form": form,
        "filters": filters,
        "page": page,
        "views": views,
        "current": filters.view,
        "title": next(
            (v.label for v in views if v.key == filters.view),
            _("Breaching soon") if filters.view == "breaching" else _("Tickets"),
        ),
        "availability": availability_of(request.user),
        "now": timezone.now(),  # one instant for every countdown on the page
        "availability_choices": Availability.choices,
        "bulk_form": BulkForm(),
        "statuses": Status.choices,
        "query": _query_without(request, "cursor"),
    }
    return render(request, "tickets/desk/home.html", context)


@require_GET
@agent_required
def desk_view_counts(request: HttpRequest) -> HttpResponse:
    """The sidebar's views with their capped counts (an htmx fragment of the list page)."""
    context = {"views": sidebar_views(request.user), "current": request.GET.get("view", "")}
    return render(request, "tickets/desk/_views.html", context)


def _query_without(request: HttpRequest, *names: str) -> str:
    params = request.GET.copy()
    for name in names:
        params.pop(name, None)
    return params.urlencode()


@require_POST
@agent_required
def desk_bulk(request: HttpRequest) -> HttpResponse:
    """Apply one action to the ticked tickets, then go back to the same list page."""
    form = BulkForm(request.POST)
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}):
        next_url = "desk-home"
    if not form.is_valid():
        for error in form.non_field_errors() or [_("That bulk action could not be applied.")]:
            messages.error(request, error)
        return redirect(next_url)
    action, value = form.service_arguments(request.user)
    result = bulk_update_tickets(
        actor=request.user, ticket_ids=form.cleaned_data["ticket"], action=action, value=value
    )
    _report_bulk(request, result)
    return redirect(next_url)


def _report_bulk(request: HttpRequest, result) -> None:
    changed = len(result.changed)
    messages.success(
        request,
        ngettext("%(count)d ticket changed.", "%(count)d tickets changed.", changed)
        % {"count": changed},
    )
    if result.unchanged:
        count = len(result.unchanged)
        messages.info(
            request,
            ngettext(
                "%(count)d ticket already had that value.",
                "%(count)d tickets already had that value.",
                count,
            )
            % {"count": count},
        )
    for reference, reason in result.failed:
        if reason == "not found":
            reason = _("not found, or not visible to you")
        messages.error(
            request,
            _("%(reference)s not changed: %(reason)s") % {"reference": reference, "reason": reason},
        )
