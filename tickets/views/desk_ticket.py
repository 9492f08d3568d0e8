"""Agent desk: one ticket, its conversation, customer context, and every change made from it."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from helpdesk.permissions import agent_required

from .. import presence
from ..selectors import get_visible_ticket, visible_tickets
from ..services import (
    StaleTicket,
    TicketError,
    add_message,
    assign_ticket,
    link_tickets,
    merge_tickets,
    update_ticket,
)
from ..services.canned import canned_responses_for
from ..services.routing import touch_agent
from .desk_context import describe_changes, page_ticket, render_ticket_page
from .desk_forms import ComposeForm, FieldsForm, ReferenceForm, VersionedForm


@require_GET
@agent_required
def desk_ticket(request: HttpRequest, pk: int) -> HttpResponse:
    """The ticket page: timeline, customer context, fields and the composer."""
    ticket = page_ticket(request.user, pk)
    viewers = presence.touch(ticket.pk, request.user)
    touch_agent(request.user)  # activity keeps an online agent online (at most a write a minute)
    return render_ticket_page(request, ticket, viewers=viewers)


@require_POST
@agent_required
def desk_ticket_reply(request: HttpRequest, pk: int) -> HttpResponse:
    """Send a reply or note (optionally setting the status), or insert a canned response."""
    ticket = get_visible_ticket(request.user, pk)
    canned = canned_responses_for(ticket, request.user)
    form = ComposeForm(request.POST, request.FILES, canned=canned)
    if not form.is_valid():
        return render_ticket_page(request, ticket, compose=form, status=400)
    if "insert_canned" in request.POST:  # the no-JS path: put the text in, send nothing
        return render_ticket_page(request, ticket, compose=_with_canned(form, canned))
    try:
        add_message(
            ticket=ticket, body=form.cleaned_data["body"], author_user=request.user,
            is_internal=form.is_internal, new_status=form.cleaned_data["new_status"] or None,
            files=form.cleaned_data["files"], expected_version=form.cleaned_data["version"],
        )  # fmt: skip
    except TicketError as error:
        return _refused(request, ticket, error, form, compose=form)
    messages.success(request, _("Note added.") if form.is_internal else _("Reply sent."))
    return redirect("desk-ticket", pk=ticket.pk)


def _with_canned(form: ComposeForm, canned) -> ComposeForm:
    chosen = form.cleaned_data["canned"]
    text = next((t for r, t in canned if chosen and r.pk == chosen.pk), "")
    data = form.data.copy()
    data["body"] = "\n\n".join(p for p in (form.cleaned_data["body"], text) if p)
    data["canned"] = ""
    return ComposeForm(data, canned=canned)


def _refused(request, ticket, error: TicketError, form: VersionedForm, **forms) -> HttpResponse:
    """Re-render the page with the error; for a stale ticket, also what changed meanwhile."""
    if not isinstance(error, StaleTicket):
        return render_ticket_page(request, ticket, error=str(error), status=400, **forms)
    activity = presence.activity_since(
        error.current, user=request.user, seen_version=form.cleaned_data["version"],
        seen_message=form.cleaned_data.get("seen_message") or 0,
        seen_change=form.cleaned_data.get("seen_change") or 0,
    )  # fmt: skip
    return render_ticket_page(
        request, error.current, error=str(error), activity=activity, status=409, **forms
    )


@require_POST
@agent_required
def desk_ticket_fields(request: HttpRequest, pk: int) -> HttpResponse:
    """Save status, priority, queue, assignee, tags and subject, if nobody changed them first."""
    ticket = get_visible_ticket(request.user, pk)
    form = FieldsForm(request.POST)
    if not form.is_valid():
        return render_ticket_page(request, ticket, fields=form, status=400)
    try:
        update_ticket(ticket=ticket, actor=request.user,
                      expected_version=form.cleaned_data["version"], **form.changes())  # fmt: skip
    except TicketError as error:
        # Stale: show the current values, not ours; any other refusal keeps the agent's choices.
        kept = None if isinstance(error, StaleTicket) else form
        return _refused(request, ticket, error, form, fields=kept)
    messages.success(request, _("Ticket updated."))
    return redirect("desk-ticket", pk=ticket.pk)


@require_POST
@agent_required
def desk_ticket_take(request: HttpRequest, pk: int) -> HttpResponse:
    """Assign the ticket to the agent who clicked."""
    ticket = get_visible_ticket(request.user, pk)
    form = VersionedForm(request.POST)
    if not form.is_valid():
        return redirect("desk-ticket", pk=ticket.pk)
    try:
        assign_ticket(ticket=ticket, assignee=request.user, actor=request.user,
                      expected_version=form.cleaned_data["version"])  # fmt: skip
    except TicketError as error:
        return _refused(request, ticket, error, form)
    messages.success(request, _("You now own %(reference)s.") % {"reference": ticket.reference})
    return redirect("desk-ticket", pk=ticket.pk)


@require_POST
@agent_required
def desk_ticket_merge(request: HttpRequest, pk: int) -> HttpResponse:
    """Merge this ticket into another one, named by reference; then show the target."""
    ticket = get_visible_ticket(request.user, pk)
    form, other = _other_ticket(request, "merge_%s")
    if other is None:
        return render_ticket_page(request, ticket, merge=form, status=400)
    try:
        target = merge_tickets(source=ticket, target=other, actor=request.user)
    except TicketError as error:
        return render_ticket_page(request, ticket, merge=form, error=str(error), status=400)
    messages.success(request, _("%(source)s was merged into this ticket.")
                     % {"source": ticket.reference})  # fmt: skip
    return redirect("desk-ticket", pk=target.pk)


@require_POST
@agent_required
def desk_ticket_link(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark another ticket, named by reference, as related to this one."""
    ticket = get_visible_ticket(request.user, pk)
    form, other = _other_ticket(request, "link_%s")
    if other is None:
        return render_ticket_page(request, ticket, link=form, status=400)
    try:
        link_tickets(ticket=ticket, other=other, actor=request.user)
    except TicketError as error:
        return render_ticket_page(request, ticket, link=form, error=str(error), status=400)
    messages.success(request, _("Linked to %(reference)s.") % {"reference": other.reference})
    return redirect("desk-ticket", pk=ticket.pk)


def _other_ticket(request: HttpRequest, auto_id: str) -> tuple[ReferenceForm, object]:
    """The bound form and the ticket it names, or None (with a form error) if not visible."""
    form = ReferenceForm(request.POST, auto_id=auto_id)
    if not form.is_valid():
        return form, None
    other = visible_tickets(request.user).for_reference(form.cleaned_data["reference"]).first()
    if other is None:
        form.add_error("reference", _("No ticket with that reference that you can see."))
    return form, other


@require_GET
@agent_required
def desk_ticket_presence(request: HttpRequest, pk: int) -> HttpResponse:
    """Heartbeat and news for an open ticket page (polled by htmx every 10 seconds)."""
    ticket = get_visible_ticket(request.user, pk)
    presence.touch(ticket.pk, request.user)
    touch_agent(request.user)
    markers = VersionedForm(request.GET)
    activity = None
    if markers.is_valid():
        activity = presence.activity_since(
            ticket, user=request.user, seen_version=markers.cleaned_data["version"],
            seen_message=markers.cleaned_data["seen_message"] or 0,
            seen_change=markers.cleaned_data["seen_change"] or 0,
        )  # fmt: skip
        describe_changes(activity.changes)
    viewers = presence.other_viewers(ticket.pk, request.user)
    context = {"ticket": ticket, "viewers": viewers, "activity": activity}
    return render(request, "tickets/desk/_presence.html", context)
