"""Desk pages: contact search with segments, the contact page with its timeline, merge,
privacy export and erase, CSV import with progress. Agents only (admins for privacy/import)."""

from __future__ import annotations

import json

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from helpdesk.permissions import agent_required

from .forms import ContactEditForm, ContactFilterForm, ImportForm, MergeForm, SegmentForm
from .models import Contact, ImportJob, Segment
from .selectors import FilterError, clean_filters, filter_contacts, page_of
from .services import (
    ContactError,
    erase_contact,
    export_contact_data,
    find_contact,
    merge_contacts,
    start_import,
    update_contact,
)
from .services.exports import contact_rows, stream_csv
from .services.imports import ImportError_
from .timeline import timeline

# The timeline's channel filters: event kind prefixes and their labels.
TIMELINE_FILTERS = [
    ("", gettext_lazy("Everything")),
    ("ticket,email", gettext_lazy("Tickets and email")),
    ("chat", gettext_lazy("Chats")),
    ("kb,search,guide", gettext_lazy("Help center and guides")),
]


def _admin_only(request: HttpRequest) -> None:
    if not request.user.is_helpdesk_admin:
        raise Http404


def _filters(request: HttpRequest) -> dict:
    filters = clean_filters(request.GET)
    segment = request.GET.get("segment", "")
    if segment.isdigit():
        found = Segment.objects.filter(pk=int(segment)).first()
        if found is not None:
            filters = {**found.filters, **filters}
    return filters


@agent_required
def contact_list(request: HttpRequest) -> HttpResponse:
    """Search and filter contacts; save the filters as a segment."""
    form = ContactFilterForm(request.GET or None)
    filters = _filters(request)
    try:
        contacts, cursor = page_of(filter_contacts(filters), cursor=request.GET.get("cursor", ""))
    except FilterError as exc:
        messages.error(request, str(exc))
        contacts, cursor = [], ""
    params = request.GET.copy()
    params.pop("cursor", None)
    context = {
        "form": form,
        "contacts": contacts,
        "next_cursor": cursor,
        "query": params.urlencode(),
        "segment_form": SegmentForm(),
        "segments": Segment.objects.all(),
        "is_filtered": bool(filters),
    }
    return render(request, "customers/contact_list.html", context)


@require_POST
@agent_required
def segment_create(request: HttpRequest) -> HttpResponse:
    form = SegmentForm(request.POST)
    filters = clean_filters(request.POST)
    if form.is_valid() and filters:
        segment = Segment.objects.create(
            name=form.cleaned_data["name"], filters=filters, created_by=request.user
        )
        messages.success(request, _("Segment “%(name)s” saved.") % {"name": segment.name})
        return redirect(f"{_list_url()}?segment={segment.pk}")
    messages.error(request, _("Give the segment a name and at least one filter."))
    return redirect(_list_url())


def _list_url() -> str:
    return reverse("desk-contacts")


PANEL_ITEMS = 8


@require_GET
@agent_required
def contact_timeline_panel(request: HttpRequest, pk: int) -> HttpResponse:
    """The latest events of a contact, for the side panel of the desk's ticket page (htmx)."""
    contact = get_object_or_404(Contact, pk=pk)
    items, cursor = timeline(contact.pk, limit=PANEL_ITEMS)
    context = {"items": items, "contact": contact, "has_more": bool(cursor)}
    return render(request, "customers/_timeline_panel_items.html", context)


@agent_required
def contact_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A contact's profile and one timeline across channels (keyset pages of events)."""
    contact = get_object_or_404(
        Contact.objects.select_related("organisation", "user").prefetch_related(
            "other_emails", "tags"
        ),
        pk=pk,
    )
    kind = request.GET.get("kind", "")
    kind = kind if kind in dict(TIMELINE_FILTERS) else ""
    items, cursor = timeline(
        contact.pk, cursor=request.GET.get("cursor", ""), limit=30, kinds=kind.split(",")
    )
    initial = {
        "name": contact.name,
        "phone": contact.phone,
        "language": contact.language,
        "time_zone": contact.time_zone,
        "organisation": contact.organisation,
        "notes": contact.notes,
        "tags": ", ".join(t.name for t in contact.tags.all()),
    }
    context = {
        "contact": contact,
        "items": items,
        "next_cursor": cursor,
        "merge_form": MergeForm(),
        "edit_form": ContactEditForm(initial=initial),
        "is_first_page": not request.GET.get("cursor"),
        "kind": kind,
        "timeline_filters": TIMELINE_FILTERS,
    }
    return render(request, "customers/contact_detail.html", context)


@require_POST
@agent_required
def contact_edit(request: HttpRequest, pk: int) -> HttpResponse:
    contact = get_object_or_404(Contact, pk=pk)
    form = ContactEditForm(request.POST)
    if form.is_valid():
        data = dict(form.cleaned_data)
        tags = [t.strip() for t in data.pop("tags").split(",") if t.strip()]
        try:
            update_contact(contact=contact, tags=tags, **data)
            messages.success(request, _("Contact saved."))
        except (ContactError, ValidationError) as exc:
            messages.error(request, "; ".join(getattr(exc, "messages", [str(exc)])))
    else:
        messages.error(
            request, _("Check the fields: %(errors)s") % {"errors": form.errors.as_text()}
        )
    return redirect(contact.get_absolute_url())


@require_POST
@agent_required
def contact_merge(request: HttpRequest, pk: int) -> HttpResponse:
    target = get_object_or_404(Contact, pk=pk)
    form = MergeForm(request.POST)
    source = None
    if form.is_valid():
        value = form.cleaned_data["source"].strip()
        source = (
            Contact.objects.filter(pk=int(value)).first()
            if value.isdigit()
            else find_contact(value)
        )
    if source is None:
        messages.error(request, _("No contact with that address or id."))
        return redirect(target.get_absolute_url())
    try:
        merge_contacts(source=source, target=target, actor=request.user)
        messages.success(request, _("Merged: the duplicate's history is now here."))
    except ContactError as exc:
        messages.error(request, str(exc))
    return redirect(target.get_absolute_url())


@agent_required
def contact_privacy_export(request: HttpRequest, pk: int) -> HttpResponse:
    _admin_only(request)
    contact = get_object_or_404(Contact, pk=pk)
    data = export_contact_data(contact=contact, actor=request.user)
    response = HttpResponse(
        json.dumps(data, indent=2, ensure_ascii=False, default=str),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="contact-{pk}.json"'
    return response


@require_POST
@agent_required
def contact_erase(request: HttpRequest, pk: int) -> HttpResponse:
    _admin_only(request)
    contact = get_object_or_404(Contact, pk=pk)
    if request.POST.get("confirm") != "erase":
        messages.error(request, _("Type “erase” to confirm."))
    else:
        try:
            erase_contact(contact=contact, actor=request.user)
            messages.success(request, _("Personal data erased."))
        except ContactError as exc:
            messages.error(request, str(exc))
    return redirect(contact.get_absolute_url())


@agent_required
def contact_imports(request: HttpRequest) -> HttpResponse:
    """Upload a CSV (admins) and follow the imports' progress."""
    _admin_only(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            job = start_import(
                kind=form.cleaned_data["kind"], upload=form.cleaned_data["file"], actor=request.user
            )
            messages.success(request, _("Import %(id)s started.") % {"id": job.pk})
            return redirect("desk-contact-imports")
        except ImportError_ as exc:
            form.add_error("file", str(exc))
    jobs = ImportJob.objects.all()[:20]
    is_running = any(j.status in ("pending", "running") for j in jobs)
    return render(
        request, "customers/imports.html", {"form": form, "jobs": jobs, "is_running": is_running}
    )


@agent_required
def contacts_csv(request: HttpRequest) -> StreamingHttpResponse:
    _admin_only(request)
    try:
        contacts = filter_contacts(_filters(request))
    except FilterError as exc:
        raise Http404(str(exc)) from None
    response = StreamingHttpResponse(
        stream_csv(contact_rows(contacts)), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="contacts.csv"'
    return response
