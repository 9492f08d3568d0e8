"""Core ticket workflow: create, message, update (optimistic locking), assign, merge, link, rate."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify

from customers.models import Contact
from helpdesk.config_cache import cached_config
from helpdesk.events import record_event
from helpdesk.markdown import render_markdown, render_plain_text

from ..models import (
    OPEN_STATUSES,
    Attachment,
    Channel,
    IdempotencyKey,
    Message,
    MessageKind,
    Priority,
    Queue,
    Status,
    Tag,
    Ticket,
    TicketChange,
    TicketLink,
)
from ..workflow import can_change_status, status_after_agent_reply, status_after_customer_reply
from .lifecycle import after_create, after_message, after_update
from .notify import queue_notifications
from .routing import claim_agent

MAX_BODY_CHARS = 50_000
# Types that could run script if a browser rendered them are stored as downloads only; the
# attachment view never serves any file inline anyway.
BLOCKED_EXTENSIONS = {".exe", ".bat", ".cmd", ".com", ".scr", ".js", ".vbs", ".msi", ".jar"}


class TicketError(Exception):
    """A ticket rule was broken; the message is safe to show."""


class StaleTicket(TicketError):
    """Someone changed the ticket since the caller read it; nothing was written."""

    def __init__(self, ticket: Ticket) -> None:
        super().__init__(
            f"{ticket.reference} was changed by someone else (now version {ticket.version}). "
            "Reload it to see their change; nothing of yours was saved."
        )
        self.current = ticket


def _record(ticket: Ticket, field: str, old, new, *, actor=None, contact=None) -> None:
    TicketChange.objects.create(
        ticket=ticket, field=field, old=old, new=new, actor=actor, actor_contact=contact
    )


def _default_queue() -> Queue | None:
    """The queue flagged default, else the oldest; cached until a queue changes (apps.py)."""

    def load() -> Queue | None:
        return Queue.objects.filter(is_default=True).first() or Queue.objects.order_by("pk").first()

    return cached_config("default-queue", load)


def _tags(names: Iterable[str]) -> list[Tag]:
    slugs = {slugify(n, allow_unicode=True)[:50] for n in names}
    return [Tag.objects.get_or_create(name=s)[0] for s in sorted(slugs) if s]


def _html(body: str, body_format: str) -> str:
    if body_format == "text":
        return render_plain_text(body)
    if body_format != "markdown":
        raise ValueError(f"Unknown body format {body_format!r}.")
    return render_markdown(body).html


def _check_body(body: str) -> str:
    body = (body or "").replace("\r\n", "\n").strip()
    if not body:
        raise TicketError("The message is empty.")
    if len(body) > MAX_BODY_CHARS:
        raise TicketError(f"The message is longer than {MAX_BODY_CHARS} characters.")
    return body


TOO_LARGE, BLOCKED_TYPE = "too_large", "blocked_type"


def attachment_problem(name: str, size: int) -> str:
    """Why a file cannot be attached (TOO_LARGE, BLOCKED_TYPE), or "" if it can: the one rule
    the forms, the mail channel and the services share; each words it for its reader."""
    if size > settings.MAX_ATTACHMENT_BYTES:
        return TOO_LARGE
    if (name or "").lower().endswith(tuple(BLOCKED_EXTENSIONS)):
        return BLOCKED_TYPE
    return ""


def _attach(ticket: Ticket, message: Message, files: Sequence[UploadedFile], user) -> None:
    for upload in files:
        name = (upload.name or "file").replace("/", "_").replace("\\", "_")[-200:]
        problem = attachment_problem(name, upload.size)
        if problem == TOO_LARGE:
            limit = settings.MAX_ATTACHMENT_BYTES // (1024 * 1024)
            raise TicketError(f"“{name}” is larger than {limit} MB.")
        if problem == BLOCKED_TYPE:
            raise TicketError(f"“{name}”: this kind of file cannot be attached.")
        Attachment.objects.create(
            ticket=ticket, message=message, file=upload, filename=name, size=upload.size,
            content_type=(getattr(upload, "content_type", "") or "application/octet-stream")[:100],
            uploaded_by=user if getattr(user, "is_authenticated", False) else None,
        )  # fmt: skip


def _request_hash(**fields) -> str:
    return hashlib.sha256(json.dumps(fields, sort_keys=True, default=str).encode()).hexdigest()


def create_ticket(**kwargs) -> Ticket:
    """Open a ticket; concurrent identical requests with one Idempotency-Key make one ticket."""
    try:
        return _create_ticket(**kwargs)
    except _DuplicateRequest as dup:  # everything this call wrote was rolled back
        return _replay(dup.scope, dup.key, dup.fingerprint)


@transaction.atomic
def _create_ticket(
    *,
    subject: str,
    body: str,
    requester: Contact,
    channel: str,
    queue: Queue | None = None,
    priority: str = Priority.NORMAL,
    language: str = "",
    tags: Iterable[str] = (),
    files: Sequence[UploadedFile] = (),
    author_user=None,
    idempotency_key: str = "",
    idempotency_scope: str = "",
    session_id: str = "",
    body_format: str = "markdown",
) -> Ticket:
    """Open a ticket with its first message; a repeated idempotency key returns the first one.

    The body is Markdown, or plain text (`body_format="text"`, mail); either way its HTML is
    sanitised. The first message is left on the ticket as `opening_message`."""
    subject, body = (subject or "").strip()[:250], _check_body(body)
    if not subject:
        raise TicketError("A subject is required.")
    if channel not in Channel.values:
        raise TicketError(f"Unknown channel {channel!r}.")
    fingerprint = ""
    if idempotency_key:
        fingerprint = _request_hash(subject=subject, body=body, requester=requester.pk)
    queue, language = queue or _default_queue(), language or requester.language
    tag_objects = _tags(tags) if tags else []
    assignee_id = claim_agent(queue, language=language,
                              tags=frozenset(t.name for t in tag_objects))  # fmt: skip
    ticket = Ticket.objects.create(
        subject=subject, requester=requester, channel=channel, priority=priority, queue=queue,
        language=language, assignee_id=assignee_id,
        status=Status.OPEN if assignee_id else Status.NEW,
    )  # fmt: skip
    if idempotency_key:
        # A repeated key is caught by its unique index here, right after the ticket row and
        # before any message, file or history is written; that rolls this call back. One
        # query fewer for every first request than asking first.
        _remember(idempotency_scope, idempotency_key, fingerprint, ticket)
    if tag_objects:
        ticket.tags.set(tag_objects)
    ticket.tag_names = sorted(t.name for t in tag_objects)  # the API's 201 body: no read-back
    is_agent = getattr(author_user, "is_agent", False)
    message = Message.objects.create(
        ticket=ticket, kind=MessageKind.PUBLIC, body=body, body_html=_html(body, body_format),
        author_user=author_user if is_agent else None,
        author_contact=None if is_agent else requester, channel=channel,
    )  # fmt: skip
    ticket.opening_message = message
    _attach(ticket, message, files, author_user)
    author = {"actor": author_user} if is_agent else {"contact": requester}
    created = {"channel": channel, "queue": ticket.queue_id}
    if assignee_id:
        created["assignee"] = assignee_id
    _record(ticket, "created", None, created, **author)
    record_event(
        kind="ticket.created", contact_id=requester.pk, session_id=session_id,
        language=ticket.language, data={"ticket": ticket.pk, "channel": channel},
    )  # fmt: skip
    queue_notifications(ticket=ticket, message=message, event="created")
    # Read by the API's 201 response: an untouched ticket need not be read back.
    ticket.changed_after_create = after_create(ticket, message)
    return ticket


def _replay(scope: str, key: str, fingerprint: str) -> Ticket:
    found = IdempotencyKey.objects.select_related("ticket").get(scope=scope, key=key[:200])
    if found.request_hash != fingerprint:
        raise TicketError("This Idempotency-Key was already used for a different request.")
    return found.ticket


def _remember(scope: str, key: str, fingerprint: str, ticket: Ticket) -> None:
    try:
        IdempotencyKey.objects.create(
            scope=scope, key=key[:200], request_hash=fingerprint, ticket=ticket
        )
    except IntegrityError:
        # The key was used before, or by a concurrent request that won: the atomic block of
        # _create_ticket rolls all of this call back (no savepoint is needed to go on: nothing
        # more runs in it), and create_ticket answers with the first ticket.
        raise _DuplicateRequest(scope, key, fingerprint) from None


class _DuplicateRequest(Exception):
    def __init__(self, scope: str, key: str, fingerprint: str) -> None:
        self.scope, self.key, self.fingerprint = scope, key, fingerprint


def _lock(ticket: Ticket, expected_version: int | None) -> Ticket:
    current = Ticket.objects.select_for_update().get(pk=ticket.pk)
    if expected_version is not None and current.version != expected_version:
        raise StaleTicket(current)
    return current


def _bump(ticket: Ticket, **fields) -> None:
    fields["version"] = F("version") + 1
    fields["updated_at"] = timezone.now()
    Ticket.objects.filter(pk=ticket.pk).update(**fields)
    ticket.refresh_from_db()


@transaction.atomic
def add_message(
    *,
    ticket: Ticket,
    body: str,
    author_user=None,
    author_contact: Contact | None = None,
    is_internal: bool = False,
    new_status: str | None = None,
    files: Sequence[UploadedFile] = (),
    expected_version: int | None = None,
    channel: str = Channel.WEB,
    system: bool = False,
    body_format: str = "markdown",
) -> Message:
    """A public reply or internal note by an agent (or an automation: `system`), or a
    customer's reply. The body is Markdown or plain text, as for create_ticket."""
    body = _check_body(body)
    ticket = _lock(ticket, expected_version)
    previous_status = ticket.status
    is_agent = system or getattr(author_user, "is_agent", False)
    if not is_agent and (is_internal or new_status):
        raise TicketError("Only agents can write internal notes or set the status.")
    if ticket.status == Status.CLOSED:
        raise TicketError(f"{ticket.reference} is closed; please open a new request.")
    kind = MessageKind.INTERNAL if is_internal else MessageKind.PUBLIC
    message = Message.objects.create(
        ticket=ticket, kind=kind, body=body, body_html=_html(body, body_format),
        author_user=author_user if is_agent else None,
        author_contact=None if is_agent else (author_contact or ticket.requester), channel=channel,
    )  # fmt: skip
    _attach(ticket, message, files, author_user)
    # An automated reply is not a first response: the SLA waits for a person.
    is_person = is_agent and author_user is not None
    changes = _status_changes_for(ticket, message, is_agent, new_status, author_user, is_person)
    _bump(ticket, **changes)
    if kind == MessageKind.PUBLIC:
        event = "agent_replied" if is_agent else "customer_replied"
        record_event(kind=f"ticket.{event}", contact_id=ticket.requester_id,
                     data={"ticket": ticket.pk, "message": message.pk})  # fmt: skip
        queue_notifications(ticket=ticket, message=message, event=event)
    after_message(ticket, message, previous_status=previous_status, by_agent=is_agent)
    return message


def _status_changes_for(ticket, message, is_agent, new_status, actor, is_person=True) -> dict:
    changes: dict = {}
    if message.kind == MessageKind.INTERNAL:
        target = new_status or ticket.status
    elif is_agent:
        target = status_after_agent_reply(ticket.status, new_status)
        if ticket.first_response_at is None and is_person:
            changes["first_response_at"] = message.created_at
            record_event(kind="ticket.first_response", data={"ticket": ticket.pk})
    else:
        target = status_after_customer_reply(ticket.status)
    if target != ticket.status:
        changes.update(_status_fields(ticket, target, actor=actor))
    return changes


def _status_fields(ticket: Ticket, target: str, *, actor=None, contact=None) -> dict:
    if not can_change_status(ticket.status, target):
        raise TicketError(f"A {ticket.get_status_display().lower()} ticket cannot become {target}.")
    fields: dict = {"status": target}
    now = timezone.now()
    if target == Status.SOLVED:
        fields["solved_at"] = now
        by = "customer" if contact is not None else "agent"
        record_event(
            kind="ticket.solved",
            contact_id=ticket.requester_id,
            data={"ticket": ticket.pk, "by": by},
        )
        if contact is None:  # the customer who solved it needs no mail saying so
            queue_notifications(ticket=ticket, message=None, event="solved")
    if target == Status.CLOSED:
        fields["closed_at"] = now
    if ticket.status in (Status.SOLVED, Status.CLOSED) and target in OPEN_STATUSES:
        record_event(kind="ticket.reopened", data={"ticket": ticket.pk})
    _record(ticket, "status", ticket.status, target, actor=actor, contact=contact)
    return fields


UPDATABLE = {"status", "priority", "queue", "assignee", "subject", "tags"}


@transaction.atomic
def update_ticket(
    *, ticket: Ticket, actor, expected_version: int | None, system: bool = False, **changes
) -> Ticket:
    """Change fields of a ticket; a stale version is refused and nothing is written.

    `system` marks a change by the helpdesk itself (routing, SLA escalation, automations).
    """
    unknown = set(changes) - UPDATABLE
    if unknown:
        raise TicketError(f"These fields cannot be changed here: {', '.join(sorted(unknown))}.")
    if not system and not getattr(actor, "is_agent", False):
        raise TicketError("Only agents can change a ticket's fields.")
    if changes.get("assignee") is not None and not changes["assignee"].is_agent:
        raise TicketError("Tickets can only be assigned to agents.")
    ticket = _lock(ticket, expected_version)
    previous_status = ticket.status
    fields: dict = {}
    if "status" in changes and changes["status"] != ticket.status:
        fields.update(_status_fields(ticket, changes["status"], actor=actor))
    if "priority" in changes and changes["priority"] != ticket.priority:
        if changes["priority"] not in Priority.values:
            raise TicketError(f"Unknown priority {changes['priority']!r}.")
        _record(ticket, "priority", ticket.priority, changes["priority"], actor=actor)
        fields["priority"] = changes["priority"]
    for name in ("queue", "assignee"):
        if name in changes and getattr(ticket, f"{name}_id") != getattr(changes[name], "pk", None):
            _record(ticket, name, getattr(ticket, f"{name}_id"), getattr(changes[name], "pk", None),
                    actor=actor)  # fmt: skip
            fields[name] = changes[name]
    if "subject" in changes and changes["subject"].strip() and changes["subject"] != ticket.subject:
        _record(ticket, "subject", ticket.subject, changes["subject"].strip()[:250], actor=actor)
        fields["subject"] = changes["subject"].strip()[:250]
    tags_changed = "tags" in changes and _set_tags(ticket, changes["tags"], actor)
    if fields or tags_changed:
        _bump(ticket, **fields)
        if "assignee" in fields and fields["assignee"] is not None:
            queue_notifications(ticket=ticket, message=None, event="assigned")
        by = "system" if actor is None else "agent"
        after_update(ticket, previous_status=previous_status, fields=fields, by=by)
    return ticket


def _set_tags(ticket: Ticket, names: Iterable[str], actor) -> bool:
    old = sorted(ticket.tags.values_list("name", flat=True))
    tags = _tags(names)
    new = sorted(t.name for t in tags)
    if old == new:
        return False
    ticket.tags.set(tags)
    _record(ticket, "tags", old, new, actor=actor)
    return True


def assign_ticket(
    *, ticket: Ticket, assignee, actor, expected_version: int | None = None
) -> Ticket:
    """Give the ticket to an agent (or to nobody); opening it if it was new."""
    if assignee is not None and not assignee.is_agent:
        raise TicketError("Tickets can only be assigned to agents.")
    changes: dict = {"assignee": assignee}
    if assignee is not None and ticket.status == Status.NEW:
        changes["status"] = Status.OPEN
    return update_ticket(ticket=ticket, actor=actor, expected_version=expected_version, **changes)


@transaction.atomic
def merge_tickets(*, source: Ticket, target: Ticket, actor) -> Ticket:
    """Move source's conversation into target and close source, pointing at target."""
    if source.pk == target.pk:
        raise TicketError("A ticket cannot be merged into itself.")
    if not getattr(actor, "is_agent", False):
        raise TicketError("Only agents can merge tickets.")
    source, target = _lock(source, None), _lock(target, None)
    if target.status == Status.CLOSED:
        raise TicketError(f"{target.reference} is closed; merge into an open ticket.")
    Message.objects.filter(ticket=source).update(ticket=target)
    Attachment.objects.filter(ticket=source).update(ticket=target)
    for ticket, text in ((target, f"{source.reference} was merged into this ticket."),
                         (source, f"Merged into {target.reference}.")):  # fmt: skip
        Message.objects.create(ticket=ticket, kind=MessageKind.SYSTEM, body=text,
                               body_html=render_markdown(text).html, author_user=actor)  # fmt: skip
    _record(source, "merged_into", None, target.pk, actor=actor)
    _record(target, "merged", None, source.pk, actor=actor)
    _bump(source, status=Status.CLOSED, closed_at=timezone.now(), merged_into=target)
    _bump(target)
    return target


def link_tickets(*, ticket: Ticket, other: Ticket, actor) -> TicketLink:
    """Mark two tickets as related (idempotent). The "linked" change recorded on both is how
    the desk's ticket page knows, without a query, that a ticket has links."""
    if ticket.pk == other.pk:
        raise TicketError("A ticket cannot be linked to itself.")
    first, second = sorted((ticket, other), key=lambda t: t.pk)
    link, created = TicketLink.objects.get_or_create(ticket=first, other=second,
                                                     defaults={"created_by": actor})  # fmt: skip
    if created:
        _record(first, "linked", None, second.pk, actor=actor)
        _record(second, "linked", None, first.pk, actor=actor)
    return link


@transaction.atomic
def mark_solved_by_requester(*, ticket: Ticket, contact: Contact) -> Ticket:
    """The requester says their problem is solved (portal); idempotent."""
    ticket = _lock(ticket, None)
    if ticket.requester_id != contact.pk:
        raise TicketError("Only the requester can mark this request as solved.")
    if ticket.status == Status.SOLVED:
        return ticket
    if ticket.status == Status.CLOSED:
        raise TicketError(f"{ticket.reference} is closed.")
    previous_status = ticket.status
    fields = _status_fields(ticket, Status.SOLVED, contact=contact)
    _bump(ticket, **fields)
    # Like an agent's solve: the SLA clock stops, webhooks and "updated" automations run.
    after_update(ticket, previous_status=previous_status, fields=fields, by="customer")
    return ticket


@transaction.atomic
def rate_ticket(*, ticket: Ticket, rating: str, comment: str, contact: Contact) -> Ticket:
    """The customer's satisfaction rating, once the ticket is solved; they may change it."""
    ticket = _lock(ticket, None)
    if ticket.requester_id != contact.pk:
        raise TicketError("Only the requester can rate this ticket.")
    if ticket.status not in (Status.SOLVED, Status.CLOSED):
        raise TicketError("You can rate a request once it is solved.")
    if rating not in ("good", "bad"):
        raise TicketError("Choose good or bad.")
    _bump(ticket, satisfaction=rating, satisfaction_comment=comment[:2000], rated_at=timezone.now())
    record_event(kind="ticket.rated", contact_id=contact.pk,
                 data={"ticket": ticket.pk, "rating": rating})  # fmt: skip
    return ticket


@transaction.atomic
def assign_waiting_ticket(*, ticket_id: int, queue: Queue) -> int | None:
    """Route one waiting ticket: 1 if assigned, 0 if it was taken meanwhile, None when no
    agent is available (the queue keeps waiting)."""
    ticket = (
        Ticket.objects.select_for_update(skip_locked=True)
        .filter(pk=ticket_id, queue=queue, assignee__isnull=True,
                status__in=(Status.NEW, Status.OPEN))
        .first()
    )  # fmt: skip
    if ticket is None:
        return 0
    tags = frozenset(ticket.tags.values_list("name", flat=True))
    agent_id = claim_agent(queue, language=ticket.language, tags=tags)
    if agent_id is None:
        return None
    from django.contrib.auth import get_user_model

    agent = get_user_model().objects.get(pk=agent_id)
    changes: dict = {"assignee": agent}
    if ticket.status == Status.NEW:
        changes["status"] = Status.OPEN
    update_ticket(ticket=ticket, actor=None, expected_version=None, system=True, **changes)
    return 1
