"""Agent desk: the agent's availability switch, and macros applied from the ticket page."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from helpdesk.permissions import agent_required

from ..automation import AutomationSpecError
from ..models import Availability
from ..selectors import get_visible_ticket
from ..services import StaleTicket, TicketError
from ..services.automations import apply_macro, macro_for
from ..services.routing import set_availability


class AvailabilityForm(forms.Form):
    availability = forms.ChoiceField(
        label=gettext_lazy("Availability"), choices=Availability.choices
    )


class MacroForm(forms.Form):
    macro = forms.IntegerField(min_value=1)
    version = forms.IntegerField(min_value=1)


def _back(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next", "")
    return target if url_has_allowed_host_and_scheme(target, {request.get_host()}) else default


@require_POST
@agent_required
def desk_availability(request: HttpRequest) -> HttpResponse:
    """Online, away or offline: routing gives new tickets only to online agents."""
    form = AvailabilityForm(request.POST)
    if form.is_valid():
        status = set_availability(user=request.user, availability=form.cleaned_data["availability"])
        messages.success(
            request,
            _("You are now %(state)s.") % {"state": status.get_availability_display().lower()},
        )
    else:
        messages.error(request, _("Choose online, away or offline."))
    return redirect(_back(request, "desk-home"))


@require_POST
@agent_required
def desk_ticket_macro(request: HttpRequest, pk: int) -> HttpResponse:
    """Apply a macro's actions to the ticket in one step (with the version check)."""
    ticket = get_visible_ticket(request.user, pk)
    form = MacroForm(request.POST)
    macro = None
    if form.is_valid():
        macro = macro_for(ticket, form.cleaned_data["macro"])
    if macro is None:
        messages.error(request, _("Choose a macro."))
        return redirect("desk-ticket", pk=ticket.pk)
    try:
        apply_macro(
            ticket, macro, actor=request.user, expected_version=form.cleaned_data["version"]
        )
    except StaleTicket:
        messages.error(
            request,
            _(
                "Someone changed this ticket meanwhile; nothing was applied. "
                "Check their change and apply the macro again."
            ),
        )
    except (TicketError, AutomationSpecError) as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Macro “%(name)s” applied.") % {"name": macro.name})
    return redirect("desk-ticket", pk=ticket.pk)
