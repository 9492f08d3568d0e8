"""Privacy: export everything about a contact as JSON; erase a contact (anonymised, audited)."""

from __future__ import annotations

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from helpdesk.events import record_event
from helpdesk.models import Event

from ..models import AuditAction, AuditLog, Contact
from ..signals import contact_erasing, contact_exporting
from .contacts import ContactError

ERASED_DOMAIN = "erased.invalid"
BATCH = 1000


def _is_statistic(value) -> bool:
    """Numbers, flags and short codes ("email", "good") stay; free text, URLs, addresses go."""
    if isinstance(value, bool | int | float) or value is None:
        return True
    return isinstance(value, str) and len(value) <= 32 and not any(c in value for c in "@/ :.")


def _pseudonymise_events(contact_id: int) -> None:
    events = Event.objects.filter(contact_id=contact_id).only("pk", "data").order_by("pk")
    batch = []
    for event in events.iterator(chunk_size=BATCH):
        kept = {k: v for k, v in (event.data or {}).items() if _is_statistic(v)}
        if kept != event.data:
            event.data = kept
            batch.append(event)
        if len(batch) >= BATCH:
            Event.objects.bulk_update(batch, ["data"])
            batch = []
    if batch:
        Event.objects.bulk_update(batch, ["data"])


def _profile(contact: Contact) -> dict:
    return {
        "id": contact.pk,
        "name": contact.name,
        "email": contact.email,
        "other_emails": [e.email for e in contact.other_emails.all()],
        "phone": contact.phone,
        "language": contact.language,
        "time_zone": contact.time_zone,
        "organisation": contact.organisation.name if contact.organisation else None,
        "tags": [t.name for t in contact.tags.all()],
        "notes": contact.notes,
        "attributes": contact.attributes,
        "identities": [
            {"source": i.source, "external_id": i.external_id} for i in contact.identities.all()
        ],
        "portal_account": contact.user.email if contact.user else None,
        "created_at": contact.created_at.isoformat(),
    }


def export_contact_data(*, contact: Contact, actor=None) -> dict:
    """All we hold about a contact (profile, activity, and each app's section), audited."""
    data = {"contact": _profile(contact), "exported_at": timezone.now().isoformat()}
    data["events"] = [
        {"kind": e.kind, "occurred_at": e.occurred_at.isoformat(), "data": e.data}
        for e in Event.objects.filter(contact_id=contact.pk)
        .order_by("occurred_at", "id")
        .iterator()
    ]
    for _receiver, section in contact_exporting.send(sender=Contact, contact=contact):
        data.update(section or {})
    AuditLog.objects.create(action=AuditAction.EXPORT, contact_id=contact.pk, actor=actor)
    return data


@transaction.atomic
def erase_contact(*, contact: Contact, actor=None) -> Contact:
    """Remove personal data and keep the row (and its events) as a pseudonymous id, so that
    statistics still count this customer's tickets and chats without knowing who they were."""
    contact = Contact.objects.select_for_update().get(pk=contact.pk)
    if contact.is_erased:
        raise ContactError(_("This contact is already erased."))
    contact_erasing.send(sender=Contact, contact=contact)
    user = contact.user
    if user is not None and not user.is_agent:
        user.email = f"erased-user-{user.pk}@{ERASED_DOMAIN}"
        user.name, user.is_active = "", False
        user.password = make_password(None)
        user.save(update_fields=["email", "name", "is_active", "password"])
    contact.other_emails.all().delete()
    contact.identities.all().delete()
    contact.tags.clear()
    contact.name = contact.phone = contact.notes = contact.time_zone = ""
    contact.email = f"erased-{contact.pk}@{ERASED_DOMAIN}"
    contact.attributes, contact.user, contact.erased_at = {}, None, timezone.now()
    contact.save()
    _pseudonymise_events(contact.pk)
    AuditLog.objects.create(action=AuditAction.ERASE, contact_id=contact.pk, actor=actor)
    record_event(kind="contact.erased", contact_id=contact.pk)
    return contact
