"""Contact search and filters (shared by the desk list, segments, the API and CSV export)."""

from __future__ import annotations

import base64
from datetime import date, datetime

from django.db.models import Prefetch, Q, QuerySet
from django.db.models.functions import Lower

from .models import Contact, ContactEmail, ContactTag

FILTER_KEYS = (
    "q",
    "organisation",
    "tag",
    "language",
    "has_account",
    "created_after",
    "created_before",
    "attribute",
)


class FilterError(ValueError):
    """A filter value that cannot be applied; the message is safe to show."""


def _date(value: str, name: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise FilterError(f"{name}: use YYYY-MM-DD.") from None


def _search(query: str) -> Q:
    query = query.strip()
    if "@" in query:
        address = query.lower()
        other = ContactEmail.objects.alias(e=Lower("email")).filter(e=address).values("contact")
        return Q(email_lower__startswith=address) | Q(pk__in=other)
    return Q(name__icontains=query) | Q(email_lower__startswith=query.lower())


def filter_contacts(filters: dict) -> QuerySet[Contact]:
    """Contacts matching the filters (unknown keys ignored; bad values raise FilterError)."""
    contacts = Contact.objects.active().alias(email_lower=Lower("email"))
    if filters.get("q"):
        contacts = contacts.filter(_search(str(filters["q"])))
    if filters.get("organisation"):
        value = str(filters["organisation"])
        if not value.isdigit():
            raise FilterError("organisation: an id is required.")
        contacts = contacts.filter(organisation_id=int(value))
    if filters.get("tag"):
        contacts = contacts.filter(tags__name=str(filters["tag"]))
    if filters.get("language"):
        contacts = contacts.filter(language=str(filters["language"]))
    if filters.get("has_account") in ("1", "true", True):
        contacts = contacts.filter(user__isnull=False)
    elif filters.get("has_account") in ("0", "false", False):
        contacts = contacts.filter(user__isnull=True)
    if filters.get("created_after"):
        contacts = contacts.filter(
            created_at__date__gte=_date(filters["created_after"], "created_after")
        )
    if filters.get("created_before"):
        contacts = contacts.filter(
            created_at__date__lte=_date(filters["created_before"], "created_before")
        )
    if filters.get("attribute"):
        key, sep, value = str(filters["attribute"]).partition("=")
        if not sep or not key.replace("_", "").replace("-", "").isalnum():
            raise FilterError("attribute: use key=value.")
        condition = Q(**{f"attributes__{key}": value})
        if _number(value) is not None:  # numbers are stored as JSON numbers
            condition |= Q(**{f"attributes__{key}": _number(value)})
        contacts = contacts.filter(condition)
    return contacts


def _number(value: str):
    try:
        number = float(value)
    except ValueError:
        return None
    return int(number) if number.is_integer() else number


def clean_filters(data) -> dict:
    """The known filter keys with non-empty values (a segment stores exactly these)."""
    return {k: str(data.get(k)).strip() for k in FILTER_KEYS if str(data.get(k) or "").strip()}


def encode_position(moment: datetime, pk: int) -> str:
    """An opaque keyset cursor for a (timestamp, id) position, newest-first pages."""
    raw = f"{moment.isoformat()}|{pk}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_position(cursor: str) -> tuple[datetime, int] | None:
    """The (timestamp, id) of an encode_position cursor, or None if it is not one."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        moment, pk = raw.split("|")
        return datetime.fromisoformat(moment), int(pk)
    except (ValueError, UnicodeDecodeError):
        return None


def page_of(contacts: QuerySet[Contact], *, cursor: str = "", size: int = 50):
    """A keyset page, newest first: (contacts, next cursor or "")."""
    contacts = contacts.order_by("-created_at", "-id")
    if cursor:
        position = decode_position(cursor)
        if position is None:
            raise FilterError("cursor: not a valid page cursor.")
        moment, pk = position
        contacts = contacts.filter(Q(created_at__lt=moment) | Q(created_at=moment, id__lt=pk))
    tags = Prefetch("tags", queryset=ContactTag.objects.order_by("name"))
    rows = list(contacts.select_related("organisation").prefetch_related(tags)[: size + 1])
    if len(rows) <= size:
        return rows, ""
    last = rows[size - 1]
    return rows[:size], encode_position(last.created_at, last.pk)
