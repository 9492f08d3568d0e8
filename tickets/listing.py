"""The desk's ticket list: filter validation, query building, keyset pagination, capped counts.

Pagination seeks from the last row seen ("updated before X, or at X with a smaller id")
instead of using OFFSET, so page 5,000 costs what page 1 costs; counts are capped so that
a queue with a million tickets never makes the database count all of them.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from django import forms
from django.db.models import Case, DateTimeField, F, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _

from helpdesk.forms import ModelChoiceField

from .choices import field_choices
from .models import OPEN_STATUSES, REFERENCE_PREFIX, Channel, Priority, Queue, Status, Ticket
from .selectors import member_queue_ids, visible_tickets

PAGE_SIZE = 25
MAX_PAGE_SIZE = 100
COUNT_CAP = 1000  # the sidebar shows "999+" beyond this

SORTS = {
    # sort name -> the ordering columns, most significant first (descending; "+" ascending)
    "updated": ("updated_at", "id"),
    "created": ("created_at", "id"),
    "priority": ("priority_rank", "updated_at", "id"),
    "due": ("+sla_due_at", "+id"),  # soonest SLA due time first; none last
}
# Tickets without a running SLA clock sort after every real due time.
NO_DUE_TIME = datetime(9999, 12, 31, tzinfo=UTC)
SLA_DUE_AT = Coalesce(F("sla__next_due_at"), Value(NO_DUE_TIME), output_field=DateTimeField())
BREACHING_WITHIN = timedelta(hours=1)
PRIORITY_RANK = Case(
    *(When(priority=p, then=Value(rank)) for rank, p in enumerate(Priority.values)),
    default=Value(0),
    output_field=IntegerField(),
)


class InvalidCursor(ValueError):
    """A cursor that was tampered with, truncated, or belongs to another sort order."""


class FilterForm(forms.Form):
    """Query-string filters of the list; invalid values are dropped, not fatal."""

    view = forms.CharField(required=False, max_length=80, widget=forms.HiddenInput)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Any")), *Status.choices]
    )
    priority = forms.ChoiceField(
        label=_("Priority"), required=False, choices=[("", _("Any")), *Priority.choices]
    )
    queue = ModelChoiceField(
        label=_("Queue"), required=False, queryset=Queue.objects.all(), empty_label=_("Any")
    )
    assignee = forms.CharField(label=_("Assignee"), required=False, max_length=20)
    tag = forms.CharField(label=_("Tag"), required=False, max_length=50)
    channel = forms.ChoiceField(
        label=_("Channel"), required=False, choices=[("", _("Any")), *Channel.choices]
    )
    q = forms.CharField(label=_("Subject or reference"), required=False, max_length=200)
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[("updated", _("Last updated")), ("created", _("Created")),
                 ("priority", _("Priority")), ("due", _("SLA due time"))],
    )  # fmt: skip
    size = forms.IntegerField(
        label=_("Per page"), required=False, min_value=1, max_value=MAX_PAGE_SIZE,
        widget=forms.Select(choices=[(25, "25"), (50, "50"), (100, "100")]),
    )  # fmt: skip

    def __init__(self, *args, user=None, **kwargs) -> None:
        """The queue and agent options are the cached field choices (no query to show them)."""
        kwargs.setdefault("auto_id", "filter_%s")
        super().__init__(*args, **kwargs)
        queues, agents = field_choices()
        queue = self.fields["queue"]
        if user is not None and not user.is_helpdesk_admin:
            # Other queues' tickets are invisible to this agent: offering them would only confuse.
            queue.queryset = user.queues.all()  # what a chosen queue is validated against
            mine = member_queue_ids(user)
            queues = [(pk, name) for pk, name in queues if pk in mine]
        queue.choices = [("", queue.empty_label), *queues]
        choices = [("", _("Anyone")), ("me", _("Me")), ("nobody", _("Nobody"))]
        choices += [(str(pk), name) for pk, name in agents]
        self.fields["assignee"].widget = forms.Select(choices=choices)

    def clean_assignee(self) -> str:
        value = self.cleaned_data["assignee"].strip()
        return value if value in ("me", "nobody") or value.isdigit() else ""

    def clean_sort(self) -> str:
        return self.cleaned_data["sort"] or "updated"


@dataclass(frozen=True)
class Filters:
    """Validated filter values (the output of FilterForm, or built directly in code)."""

    view: str = "all"
    status: str = ""
    priority: str = ""
    queue: Queue | None = None
    assignee: str = ""
    tag: str = ""
    channel: str = ""
    q: str = ""
    sort: str = "updated"
    size: int = PAGE_SIZE

    @classmethod
    def from_form(cls, form: FilterForm) -> Filters:
        # Fields that failed validation are simply left out: a bad link still lists tickets.
        data = {k: v for k, v in form.cleaned_data.items() if v not in (None, "")}
        for name in form.errors:
            data.pop(name, None)
        if data.get("view") == "breaching" and not form.data.get("sort"):
            data["sort"] = "due"  # most urgent first unless the agent chose an order
        return cls(**data)

    @property
    def is_filtered(self) -> bool:
        return any((self.status, self.priority, self.queue, self.assignee, self.tag,
                    self.channel, self.q))  # fmt: skip


def view_queryset(qs: QuerySet[Ticket], view: str, user) -> QuerySet[Ticket]:
    """One of the sidebar's views: mine, unassigned, queue-<id>, or all."""
    if view == "mine":
        return qs.filter(assignee=user, status__in=OPEN_STATUSES)
    if view == "unassigned":
        return qs.filter(assignee__isnull=True, status__in=OPEN_STATUSES)
    if view == "breaching":
        # Breached, warned, or due within the hour: what needs a person right now.
        soon = Q(sla__next_due_at__lte=timezone.now() + BREACHING_WITHIN)
        return qs.filter(soon | Q(sla__status__in=["warning", "breached"]),
                         status__in=OPEN_STATUSES)  # fmt: skip
    if view.startswith("queue-") and view[6:].isdigit():
        return qs.filter(queue_id=int(view[6:]), status__in=OPEN_STATUSES)
    return qs


def filter_tickets(qs: QuerySet[Ticket], filters: Filters, user) -> QuerySet[Ticket]:
    """Apply the view and every filter; pure query construction, nothing is evaluated."""
    qs = view_queryset(qs, filters.view, user)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.priority:
        qs = qs.filter(priority=filters.priority)
    if filters.queue is not None:
        qs = qs.filter(queue=filters.queue)
    if filters.assignee == "me":
        qs = qs.filter(assignee=user)
    elif filters.assignee == "nobody":
        qs = qs.filter(assignee__isnull=True)
    elif filters.assignee:
        qs = qs.filter(assignee_id=int(filters.assignee))
    if filters.tag:
        qs = qs.filter(tags__name=filters.tag)
    if filters.channel:
        qs = qs.filter(channel=filters.channel)
    if filters.q:
        qs = qs.filter(text_query(filters.q))
    return qs


def text_query(text: str) -> Q:
    """Subject contains the text, or the text is a reference (HD-123, or just 123)."""
    text = text.strip()
    number = text.upper().removeprefix(REFERENCE_PREFIX).strip()
    condition = Q(subject__icontains=text)
    if number.isdigit() and len(number) < 18:
        condition |= Q(pk=int(number))
    return condition


def capped_count(qs: QuerySet, cap: int = COUNT_CAP) -> int:
    """COUNT over at most `cap` rows: SELECT COUNT(*) FROM (SELECT ... LIMIT cap)."""
    return qs.order_by().values("pk")[:cap].count()


def format_count(count: int, cap: int = COUNT_CAP) -> str:
    return f"{cap - 1}+" if count >= cap else str(count)


@dataclass
class Page:
    rows: list[Ticket]
    next_cursor: str = ""
    prev_cursor: str = ""
    sort: str = "updated"
    extra: dict = field(default_factory=dict)


def _column(spec: str) -> tuple[str, bool]:
    """(column name, is ascending) of a SORTS entry."""
    return spec.removeprefix("+"), spec.startswith("+")


def _key(ticket: Ticket, sort: str) -> list:
    values = []
    for spec in SORTS[sort]:
        value = getattr(ticket, _column(spec)[0])
        values.append(value.isoformat() if isinstance(value, datetime) else value)
    return values


def encode_cursor(ticket: Ticket, sort: str, direction: str) -> str:
    payload = json.dumps({"s": sort, "d": direction, "k": _key(ticket, sort)})
    return base64.urlsafe_b64encode(payload.encode()).decode().rstrip("=")


def decode_cursor(cursor: str, sort: str) -> tuple[str, list]:
    """(direction, key values) from a cursor; InvalidCursor for anything unexpected."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        data = json.loads(raw)
        direction, key = data["d"], data["k"]
        if data["s"] != sort or direction not in ("next", "prev"):
            raise InvalidCursor(cursor)
        if not isinstance(key, list) or len(key) != len(SORTS[sort]):
            raise InvalidCursor(cursor)
        return direction, [
            _parse_key_value(_column(col)[0], v) for col, v in zip(SORTS[sort], key, strict=True)
        ]
    except (binascii.Error, ValueError, TypeError, KeyError, UnicodeDecodeError) as exc:
        raise InvalidCursor(cursor) from exc


def _parse_key_value(column: str, value):
    if column.endswith("_at"):
        parsed = parse_datetime(value) if isinstance(value, str) else None
        if parsed is None:
            raise InvalidCursor(column)
        return parsed
    if not isinstance(value, int) or isinstance(value, bool):
        raise InvalidCursor(column)
    return value


def _seek(specs: tuple[str, ...], values: list, after: bool) -> Q:
    """Rows strictly after or before the key in the sort's order: a row-value comparison
    spelled out as (a < x) OR (a = x AND b < y) OR ..., which every database can index."""
    condition = Q()
    columns = [_column(spec) for spec in specs]
    for i, (column, ascending) in enumerate(columns):
        op = "gt" if after == ascending else "lt"
        step = Q(**{f"{column}__{op}": values[i]})
        for (prev_col, _asc), prev_val in zip(columns[:i], values[:i], strict=True):
            step &= Q(**{prev_col: prev_val})
        condition |= step
    return condition


def paginate(qs: QuerySet[Ticket], *, sort: str, cursor: str = "", size: int = PAGE_SIZE) -> Page:
    """One page of tickets after/before the cursor; raises InvalidCursor for a bad one."""
    columns = SORTS[sort]
    size = max(1, min(size, MAX_PAGE_SIZE))
    if "priority_rank" in columns:
        qs = qs.annotate(priority_rank=PRIORITY_RANK)
    if "+sla_due_at" in columns:
        qs = qs.annotate(sla_due_at=SLA_DUE_AT)
    direction, key = decode_cursor(cursor, sort) if cursor else ("next", None)
    forward = direction == "next"
    if key is not None:
        qs = qs.filter(_seek(columns, key, after=forward))
    ordering = []
    for column, ascending in map(_column, columns):
        ordering.append(column if forward == ascending else f"-{column}")
    rows = list(qs.order_by(*ordering)[: size + 1])
    has_more = len(rows) > size
    rows = rows[:size]
    if not forward:
        rows.reverse()
    page = Page(rows=rows, sort=sort)
    if rows:
        if has_more if forward else key is not None:
            page.next_cursor = encode_cursor(rows[-1], sort, "next")
        if key is not None if forward else has_more:
            page.prev_cursor = encode_cursor(rows[0], sort, "prev")
    return page


@dataclass
class SidebarView:
    key: str
    label: str
    count: str


def sidebar_views(user, *, counted: bool = True) -> list[SidebarView]:
    """My open, Unassigned, one per queue the agent belongs to, All: each with a capped count
    (or an empty count when `counted` is False: the list page loads the counts afterwards)."""
    visible = visible_tickets(user)
    entries = [("mine", _("My open")), ("unassigned", _("Unassigned"))]
    mine = member_queue_ids(user)
    entries += [(f"queue-{pk}", name) for pk, name in field_choices()[0] if pk in mine]
    entries.append(("all", _("All tickets")))

    def count(key: str) -> str:
        return format_count(capped_count(view_queryset(visible, key, user))) if counted else ""

    return [SidebarView(key, str(label), count(key)) for key, label in entries]
