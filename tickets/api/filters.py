"""Ticket list filters (django-filter) and keyset pagination: no COUNT, no deep OFFSET."""

from __future__ import annotations

import re

import django_filters
from django.core.validators import RegexValidator
from django.db.models import Q, QuerySet
from django.db.models.functions import Lower
from rest_framework.pagination import CursorPagination

from customers.models import Contact

from ..models import REFERENCE_PREFIX, Channel, Priority, Status, Ticket

REFERENCE = re.compile(rf"^(?:{REFERENCE_PREFIX})?(\d{{1,18}})$", re.IGNORECASE)


class TicketCursorPagination(CursorPagination):
    """Most recently updated first; served by the (…, updated_at DESC, id DESC) indexes."""

    ordering = ("-updated_at", "-id")
    page_size = 25
    page_size_query_param = "page_size"
    max_page_size = 100


class MessageCursorPagination(CursorPagination):
    """A conversation reads oldest first."""

    ordering = ("created_at", "id")
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


class TicketFilter(django_filters.FilterSet):
    # distinct=False: one row per ticket already, and DISTINCT would stop PostgreSQL from
    # reading the (queue, status, updated_at, id) index in order (a sort of every match).
    status = django_filters.MultipleChoiceFilter(
        choices=Status.choices,
        distinct=False,
        help_text="Repeat for several (status=new&status=open).",
    )
    priority = django_filters.MultipleChoiceFilter(choices=Priority.choices, distinct=False)
    channel = django_filters.ChoiceFilter(choices=Channel.choices)
    queue = django_filters.NumberFilter(field_name="queue_id", help_text="Queue id.")
    assignee = django_filters.CharFilter(
        method="filter_assignee",
        help_text='An agent id, "me" or "none".',
        validators=[RegexValidator(r"^(?i:me|none|\d{1,18})$", 'Use an agent id, "me" or "none".')],
    )
    tag = django_filters.CharFilter(field_name="tags__name", help_text="Tag name.")
    requester = django_filters.CharFilter(
        method="filter_requester",
        max_length=254,
        help_text="Requester email address (exact, any case).",
    )
    q = django_filters.CharFilter(
        method="filter_q",
        max_length=200,
        help_text="Subject contains this, or a reference such as HD-123.",
    )

    sla_status = django_filters.ChoiceFilter(
        field_name="sla__status",
        choices=[("ok", "ok"), ("warning", "warning"), ("breached", "breached")],
        help_text="SLA status (agents): ok, warning or breached.",
    )
    breaching = django_filters.BooleanFilter(
        method="filter_breaching",
        help_text="true: open tickets breached, warned or due within the hour (the desk's "
        '"Breaching soon").',
    )

    class Meta:
        model = Ticket
        fields: list[str] = []

    def filter_breaching(self, queryset: QuerySet[Ticket], name: str, value: bool) -> QuerySet:
        from ..listing import view_queryset

        if not value:
            return queryset
        return view_queryset(queryset, "breaching", self.request.user)

    def filter_assignee(self, queryset: QuerySet[Ticket], name: str, value: str) -> QuerySet:
        value = value.strip().lower()
        if value == "me":
            return queryset.filter(assignee=self.request.user)
        if value == "none":
            return queryset.filter(assignee__isnull=True)
        return queryset.filter(assignee_id=int(value))

    def filter_requester(self, queryset: QuerySet[Ticket], name: str, value: str) -> QuerySet:
        # Lower(email) matches the contact_email_ci_unique index; a join would not use it.
        contacts = Contact.objects.alias(e=Lower("email")).filter(e=value.strip().lower())
        return queryset.filter(requester__in=contacts.values("pk"))

    def filter_q(self, queryset: QuerySet[Ticket], name: str, value: str) -> QuerySet:
        value = value.strip()
        match = REFERENCE.match(value)
        if match:
            return queryset.filter(Q(pk=int(match.group(1))) | Q(subject__icontains=value))
        return queryset.filter(subject__icontains=value)
