"""Merge duplicate contacts: every row pointing at the duplicate moves to the one kept."""

from __future__ import annotations

from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext as _

from helpdesk.events import record_event
from helpdesk.models import Event

from ..models import AuditAction, AuditLog, Contact, ContactEmail
from ..signals import contacts_merged
from .contacts import ContactError

FILLABLE = ("name", "phone", "language", "time_zone", "organisation_id")


def _move_rows(model: type[models.Model], field: str, source: Contact, target: Contact) -> int:
    """One UPDATE per relation; where a unique constraint collides (the target already has an
    equivalent row), the duplicate's row is dropped instead."""
    rows = model._default_manager.filter(**{field: source})
    try:
        with transaction.atomic():
            return rows.update(**{field: target})
    except IntegrityError:
        moved = 0
        for pk in rows.values_list("pk", flat=True):
            try:
                with transaction.atomic():
                    moved += model._default_manager.filter(pk=pk).update(**{field: target})
            except IntegrityError:
                model._default_manager.filter(pk=pk).delete()
        return moved


def _relations() -> list[tuple[type[models.Model], str]]:
    """Every (model, field) that points at Contact, from any app, found through the ORM."""
    found = []
    for rel in Contact._meta.related_objects:
        if rel.many_to_many:
            through = rel.through if hasattr(rel, "through") else rel.field.remote_field.through
            name = next(f.name for f in through._meta.fields if f.related_model is Contact)
            found.append((through, name))
        else:
            found.append((rel.related_model, rel.field.name))
    for field in Contact._meta.many_to_many:  # the contact's own tags
        through = field.remote_field.through
        name = next(f.name for f in through._meta.fields if f.related_model is Contact)
        found.append((through, name))
    return found


@transaction.atomic
def merge_contacts(*, source: Contact, target: Contact, actor=None) -> Contact:
    """Fold `source` into `target`: tickets, conversations, addresses, tags and events follow;
    target's own values win, its blanks are filled from source; source is deleted."""
    if source.pk == target.pk:
        raise ContactError(_("A contact cannot be merged into itself."))
    source = Contact.objects.select_for_update().get(pk=source.pk)
    target = Contact.objects.select_for_update().get(pk=target.pk)
    if source.is_erased or target.is_erased:
        raise ContactError(_("Erased contacts cannot be merged."))
    if source.user_id and target.user_id:
        raise ContactError(_("Both contacts have a portal account; they cannot be merged."))
    counts = {}
    for model, field in _relations():
        counts[f"{model._meta.label}.{field}"] = _move_rows(model, field, source, target)
    counts["events"] = Event.objects.filter(contact_id=source.pk).update(contact_id=target.pk)
    _fill_blanks(source, target)
    source_email, source_user = source.email, source.user
    source_id = source.pk
    source.delete()  # frees its unique address for the target's list
    ContactEmail.objects.create(contact=target, email=source_email)
    if source_user is not None and target.user_id is None:
        target.user = source_user
    target.save()
    AuditLog.objects.create(
        action=AuditAction.MERGE,
        contact_id=target.pk,
        actor=actor,
        detail={"merged": source_id, "moved": counts},
    )
    record_event(kind="contact.merged", contact_id=target.pk, data={"merged": source_id})
    contacts_merged.send(sender=Contact, source_id=source_id, target=target)
    return target


def _fill_blanks(source: Contact, target: Contact) -> None:
    for name in FILLABLE:
        if not getattr(target, name) and getattr(source, name):
            setattr(target, name, getattr(source, name))
    target.attributes = {**(source.attributes or {}), **(target.attributes or {})}
    if source.notes and source.notes not in target.notes:
        target.notes = f"{target.notes}\n\n{source.notes}".strip()
