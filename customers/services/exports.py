"""CSV export of contacts and organisations, streamed row by row (the same columns import reads)."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator

from django.db.models import QuerySet

from ..models import AttributeDefinition, AttributeTarget, Contact, Organisation
from .imports import ATTRIBUTE_PREFIX, CONTACT_COLUMNS, LIST_SEPARATOR, ORGANISATION_COLUMNS

CHUNK = 2000


class _Echo:
    """A file-like object whose write returns the line, for streaming through csv.writer."""

    def write(self, value: str) -> str:
        return value


def _safe(value: str) -> str:
    # A cell starting with = + - @ runs as a formula in spreadsheets (CSV injection).
    return f"'{value}" if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def _keys(target: str) -> list[str]:
    keys = AttributeDefinition.objects.filter(target=target).order_by("key")
    return list(keys.values_list("key", flat=True))


def contact_rows(contacts: QuerySet[Contact]) -> Iterator[list[str]]:
    keys = _keys(AttributeTarget.CONTACT)
    yield CONTACT_COLUMNS + [f"{ATTRIBUTE_PREFIX}{k}" for k in keys]
    rows = contacts.select_related("organisation").prefetch_related("tags").order_by("pk")
    for c in rows.iterator(chunk_size=CHUNK):
        tags = LIST_SEPARATOR.join(t.name for t in c.tags.all())
        organisation = c.organisation.name if c.organisation else ""
        base = [c.email, c.name, c.phone, c.language, c.time_zone, organisation, tags, c.notes]
        yield base + [str(c.attributes.get(k, "")) for k in keys]


def organisation_rows(organisations: QuerySet[Organisation]) -> Iterator[list[str]]:
    keys = _keys(AttributeTarget.ORGANISATION)
    yield ORGANISATION_COLUMNS + [f"{ATTRIBUTE_PREFIX}{k}" for k in keys]
    for o in organisations.order_by("pk").iterator(chunk_size=CHUNK):
        base = [o.name, LIST_SEPARATOR.join(o.domains or []), o.notes]
        yield base + [str(o.attributes.get(k, "")) for k in keys]


def stream_csv(rows: Iterable[list[str]]) -> Iterator[str]:
    """CSV lines, one at a time (for a StreamingHttpResponse)."""
    writer = csv.writer(_Echo())
    for row in rows:
        yield writer.writerow([_safe(str(v)) for v in row])
