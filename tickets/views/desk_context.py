"""Everything the desk's ticket page shows, gathered in a fixed number of queries."""

from __future__ import annotations

from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from customers.models import Contact
from helpdesk.compiled import fetch

from .. import presence
from ..choices import users_by_pk
from ..models import (
    Attachment,
    Message,
    Priority,
    Queue,
    Status,
    Tag,
    Ticket,
    TicketChange,
    TicketLink,
)
from ..panels import panels_for
from ..selectors import can_see, visibility_key, visible_tickets
from ..services.automations import macros_for
from ..services.canned import canned_responses_for
from ..services.sla import describe
from .desk_forms import ComposeForm, FieldsForm, ReferenceForm

OTHER_TICKETS = 10
# Merges already appear as system messages in the timeline; "created" is the first message.
HIDDEN_CHANGES = ("created", "merged", "merged_into")


def render_ticket_page(
    request: HttpRequest, ticket: Ticket, *, status: int = 200, error: str = "",
    activity=None, compose=None, fields=None, merge=None, link=None, viewers=None,
) -> HttpResponse:  # fmt: skip
    """The ticket page; bound forms passed in are shown as they were posted (text kept).

    `ticket` is read again with everything the page shows, unless it came from page_ticket().
    """
    if not getattr(ticket, "_loaded_for_page", False):
        ticket = page_ticket(request.user, ticket.pk)
    timeline, markers, linked = _timeline(ticket)
    canned = canned_responses_for(ticket, request.user)
    fields = _refreshed(fields, markers) or FieldsForm.for_ticket(ticket, **markers)
    if compose is None:
        compose = ComposeForm(initial={"kind": "public", **markers}, canned=canned)
    if activity is not None:
        describe_changes(activity.changes)
    context = {
        "ticket": ticket, "timeline": timeline, "error": error, "activity": activity,
        "compose": _refreshed(compose, markers), "canned": canned,
        "fields": fields,
        "merge": _refreshed(merge, markers) or ReferenceForm(initial=markers, auto_id="merge_%s"),
        "link": _refreshed(link, markers) or ReferenceForm(initial=markers, auto_id="link_%s"),
        "markers": markers, "related": _related(request.user, ticket) if linked else [],
        "other_tickets": _other_tickets(request.user, ticket),
        "viewers": presence.other_viewers(ticket.pk, request.user) if viewers is None else viewers,
        "side_panels": panels_for(request, ticket),
        "macros": macros_for(ticket), **_sla_context(ticket),
    }  # fmt: skip
    return render(request, "tickets/desk/ticket.html", context, status=status)


def _sla_context(ticket: Ticket) -> dict:
    """The SLA card: each target's due time (no query: the state was select_related)."""
    sla = describe(getattr(ticket, "sla", None)) if ticket.is_open else None
    if sla is None:
        return {"sla": None}
    labels = {"first_response": _("First response"), "next_response": _("Next response"),
              "resolution": _("Resolution")}  # fmt: skip
    rows = [(name, labels[name], target) for name, target in sla["targets"].items()]
    return {"sla": sla, "sla_rows": rows, "now": timezone.now()}


def page_ticket(user, pk: int) -> Ticket:
    """The ticket with what its page shows, in one query (+ tag names); Http404 if not visible.

    The row is read by primary key and the visibility rule checked on it (can_see: no query
    for an agent): the rule's subquery in the same SQL cost more to plan than the row to read.
    Only the relations the page shows are joined (requester and organisation, SLA state): the
    page shows the queue and assignee as the fields form's options (cached), and each joined
    table added ~0.4 ms of PostgreSQL planning and ORM work at a million tickets. `merged_into`
    is not joined either: the rare merged ticket reads it with one more query. Tag names come
    from one plain query (prefetch_related cost twice as much for the same rows)."""
    rows = (
        Ticket.objects.select_related("requester__organisation", "sla")
        .filter(pk=pk)
        .order_by()[:1]  # one row by primary key: .first() would add a sort (~0.7 ms)
    )
    ticket = next(iter(rows), None)
    if ticket is None or not can_see(user, ticket):
        raise Http404
    ticket.tag_names = [tag.name for tag in fetch("page-tags", _tags_of, pk)]
    ticket._loaded_for_page = True
    return ticket


def _refreshed(form, markers: dict):
    """A posted form re-shown after a refusal carries the *current* version, so the agent can
    send again once they have seen what changed; their own text is left as it was."""
    if form is not None and form.is_bound:
        data = form.data.copy()
        for name, value in markers.items():
            data[name] = value
        form.data = data
    return form


def _timeline(ticket: Ticket) -> tuple[list[tuple[str, object]], dict, bool]:
    """Messages (public, internal, system) and field changes, oldest first; the markers of
    what this page shows, so a later write or heartbeat can tell what is new; and whether the
    ticket was ever linked (link_tickets() records a "linked" change on both tickets), so an
    unlinked ticket's page asks for no related tickets."""
    messages = fetch("page-messages", _messages_of, ticket.pk)
    # One query by ticket, grouped here: prefetch_related costs ~0.5 ms more for the same rows.
    files: dict[int, list[Attachment]] = {}
    for attachment in fetch("page-files", _files_of, ticket.pk):
        files.setdefault(attachment.message_id, []).append(attachment)
    for message in messages:
        message.files = files.get(message.pk, [])
    every_change = fetch("page-changes", _changes_of, ticket.pk)
    _name_people(ticket, messages, every_change)
    changes = [c for c in every_change if c.field not in HIDDEN_CHANGES]
    describe_changes(changes)
    items = [("message", m) for m in messages] + [("change", c) for c in changes]
    items.sort(key=lambda item: (item[1].created_at, item[0] == "change", item[1].pk))
    markers = {
        "version": ticket.version,
        "seen_message": max((m.pk for m in messages), default=0),
        "seen_change": max((c.pk for c in every_change), default=0),
    }
    return items, markers, any(c.field == "linked" for c in every_change)


# The page's per-ticket queries, compiled once per process (helpdesk.compiled): same rows.
def _tags_of(pk: int):
    return Tag.objects.filter(tickets=pk)


def _messages_of(pk: int):
    return Message.objects.filter(ticket_id=pk)


def _files_of(pk: int):
    return Attachment.objects.filter(ticket_id=pk, message__isnull=False).only(
        "message_id", "filename", "size"
    )


def _changes_of(pk: int):
    return TicketChange.objects.filter(ticket_id=pk)


def _name_people(ticket: Ticket, messages: list, changes: list) -> None:
    """Set each message's author and each change's actor without joining two more tables to
    each query (~0.6 ms apiece at a million tickets): agents come from the cached staff map,
    the requester came with the ticket; anyone else (a former agent, a CC'd contact) is read
    in one query per kind, and only when there is one."""
    pairs = [(m, "author_user", "author_contact") for m in messages]
    pairs += [(c, "actor", "actor_contact") for c in changes]
    users = users_by_pk({getattr(obj, user + "_id") for obj, user, _ in pairs})
    contacts = {ticket.requester_id: ticket.requester}
    wanted_contacts = {getattr(obj, c + "_id") for obj, _, c in pairs} - contacts.keys() - {None}
    if wanted_contacts:
        contacts.update((c.pk, c) for c in Contact.objects.filter(pk__in=wanted_contacts))
    for obj, user, contact in pairs:
        setattr(obj, user, users.get(getattr(obj, user + "_id")))
        setattr(obj, contact, contacts.get(getattr(obj, contact + "_id")))


def _related(user, ticket: Ticket) -> list[Ticket]:
    links = TicketLink.objects.filter(Q(ticket=ticket) | Q(other=ticket))
    ids = {pk for pair in links.values_list("ticket_id", "other_id") for pk in pair} - {ticket.pk}
    if not ids:
        return []
    return list(visible_tickets(user).filter(pk__in=ids).only("pk", "subject").order_by("-pk"))


def _other_tickets(user, ticket: Ticket) -> list[Ticket]:
    """The requester's other tickets this user may see, newest first. The visibility rule is
    baked into the compiled SQL, so the shape's key names what it depends on."""

    def build(requester_id: int, pk: int):
        others = visible_tickets(user).filter(requester_id=requester_id).exclude(pk=pk)
        others = others.only("pk", "subject", "status", "created_at")  # what the side card shows
        return others.order_by("-created_at", "-pk")[:OTHER_TICKETS]

    key = ("page-other-tickets", *visibility_key(user))
    return fetch(key, build, ticket.requester_id, ticket.pk)


def describe_changes(changes: list[TicketChange]) -> None:
    """Set .description on each change: 'Omar changed status from Open to Pending'."""
    ids = {"queue": set(), "assignee": set()}
    for change in changes:
        if change.field in ids:
            ids[change.field].update(v for v in (change.old, change.new) if v)
    users = users_by_pk(ids["assignee"]).values()  # agents from the cache: no query
    names = {  # most timelines name no queue or assignee: no query for them
        "queue": {q.pk: q.name for q in Queue.objects.filter(pk__in=ids["queue"])}
        if ids["queue"] else {},
        "assignee": {u.pk: u.get_full_name() for u in users},
    }  # fmt: skip
    for change in changes:
        change.description = _describe(change, names)


def _describe(change: TicketChange, names: dict) -> str:
    if change.actor is not None:
        actor = change.actor.get_short_name()
    elif change.actor_contact is not None:
        actor = change.actor_contact.display_name
    else:
        actor = _("System")
    if change.field == "linked":
        return _("%(actor)s linked HD-%(number)s") % {"actor": actor, "number": change.new}
    old, new = (_display(change.field, v, names) for v in (change.old, change.new))
    # One sentence per field, so translators can inflect the field name where grammar needs it.
    sentences = {
        "status": _("%(actor)s changed the status from %(old)s to %(new)s"),
        "priority": _("%(actor)s changed the priority from %(old)s to %(new)s"),
        "queue": _("%(actor)s moved the ticket from queue %(old)s to %(new)s"),
        "assignee": _("%(actor)s changed the assignee from %(old)s to %(new)s"),
        "subject": _("%(actor)s changed the subject from “%(old)s” to “%(new)s”"),
        "tags": _("%(actor)s changed the tags from %(old)s to %(new)s"),
    }
    sentence = sentences.get(change.field, _("%(actor)s changed %(field)s from %(old)s to %(new)s"))
    return sentence % {"actor": actor, "field": change.field, "old": old, "new": new}


def _display(field: str, value, names: dict) -> str:
    if value in (None, "", []):
        return _("none")
    if field == "status" and value in Status.values:
        return str(Status(value).label)
    if field == "priority" and value in Priority.values:
        return str(Priority(value).label)
    if field in names:
        return names[field].get(value, f"#{value}")
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)
