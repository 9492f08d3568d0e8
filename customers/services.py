"""Customer writes: find or create the contact behind an email address."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models.functions import Lower

from .models import Contact, Organisation


def _organisation_for(email: str) -> Organisation | None:
    domain = email.rsplit("@", 1)[-1].lower()
    for organisation in Organisation.objects.filter(domains__isnull=False).only("pk", "domains"):
        if domain in [d.lower() for d in organisation.domains or []]:
            return organisation
    return None


def find_contact(email: str) -> Contact | None:
    """Case-insensitive lookup through the LOWER(email) unique index (iexact would scan)."""
    return (
        Contact.objects.alias(email_lower=Lower("email")).filter(email_lower=email.lower()).first()
    )


def get_or_create_contact(*, email: str, name: str = "", language: str = "") -> Contact:
    """The contact with this address (case-insensitive), created on first contact.

    An existing contact's name and language are filled only where still empty: an address
    someone typed into a public form never overwrites what we already know.
    """
    email = email.strip()
    contact = find_contact(email)
    if contact is None:
        try:
            with transaction.atomic():
                contact = Contact.objects.create(
                    email=email.lower(), name=name[:200], language=language,
                    organisation=_organisation_for(email),
                )  # fmt: skip
        except IntegrityError:  # created concurrently by another request
            contact = find_contact(email)
    changed = []
    if name and not contact.name:
        contact.name = name[:200]
        changed.append("name")
    if language and not contact.language:
        contact.language = language
        changed.append("language")
    if changed:
        contact.save(update_fields=[*changed, "updated_at"])
    return contact


def contact_for_user(user) -> Contact:
    """The contact of a signed-in customer, linking it by email on first use."""
    contact = getattr(user, "contact", None)
    if contact is not None:
        return contact
    contact = get_or_create_contact(email=user.email, name=user.name, language=user.language)
    if contact.user_id is None:
        contact.user = user
        contact.save(update_fields=["user", "updated_at"])
    return contact
