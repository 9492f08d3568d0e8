"""Contacts and identity: one person behind an address, a signed-in account or a verified
widget identity. An unverified claim is recorded under an address but never links, merges or
changes a known contact."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.utils.text import slugify
from django.utils.translation import gettext as _

from helpdesk.config_cache import cached_config

from ..models import (
    AttributeTarget,
    Contact,
    ContactEmail,
    ContactIdentity,
    ContactTag,
    Organisation,
    normalise_domain,
)
from .attributes import validate_attributes

DOMAINS_CONFIG = "organisation-domains"


class ContactError(Exception):
    """A contact rule was broken; the message is safe to show."""


def _domain(email: str) -> str:
    return normalise_domain(email.rsplit("@", 1)[-1])


def organisation_for(email: str) -> Organisation | None:
    """The organisation whose domains include this address's domain (no query for a domain
    no organisation lists: the domains are a cached config, reread after an organisation
    is saved or deleted, see apps.py)."""
    pk = organisation_domains().get(_domain(email))
    return Organisation.objects.filter(pk=pk).first() if pk else None


def organisation_domains() -> dict[str, int]:
    """Every listed domain → its organisation's id (the first one by id, if listed twice)."""

    def load() -> dict[str, int]:
        listed = Organisation.objects.exclude(domains=[]).order_by("-pk")
        return {
            normalise_domain(domain): pk
            for pk, domains in listed.values_list("pk", "domains")
            for domain in (domains if isinstance(domains, list) else [])
        }

    return cached_config(DOMAINS_CONFIG, load)


def find_contact(email: str) -> Contact | None:
    """Case-insensitive lookup of a main or further address (each through its LOWER index)."""
    email = (email or "").strip().lower()
    if not email:
        return None
    contact = Contact.objects.alias(email_lower=Lower("email")).filter(email_lower=email).first()
    if contact is None:
        other = (
            ContactEmail.objects.alias(email_lower=Lower("email"))
            .filter(email_lower=email)
            .select_related("contact")
            .first()
        )
        contact = other.contact if other else None
    return contact


def get_or_create_contact(
    *, email: str, name: str = "", language: str = "", is_verified: bool = False
) -> Contact:
    """The contact with this address (main or further, any case), created on first contact.

    A known contact is never changed by an unverified claim (an address typed into a form or
    a mail's From): only a proven identity (`is_verified`, e.g. a signed-in account) fills
    their name and language, and only where still empty.
    """
    email = email.strip()
    contact = find_contact(email)
    if contact is None:
        try:
            with transaction.atomic():
                contact = Contact.objects.create(
                    email=email.lower(),
                    name=name[:200],
                    language=language,
                    organisation=organisation_for(email),
                )
        except IntegrityError:  # created concurrently by another request
            contact = find_contact(email)
    changed = []
    if not is_verified or contact.is_erased:
        return contact
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
    """The contact of a signed-in customer, linking it by email on first use.

    The account's address is proven by signing in, so linking is safe; a contact already
    linked to another account is never taken over.
    """
    contact = getattr(user, "contact", None)
    if contact is not None:
        return contact
    contact = get_or_create_contact(
        email=user.email, name=user.name, language=user.language, is_verified=True
    )
    if contact.user_id is None:
        contact.user = user
        contact.save(update_fields=["user", "updated_at"])
    elif contact.user_id != user.pk:
        raise ContactError(_("This address belongs to another account's contact."))
    return contact


@transaction.atomic
def resolve_contact(
    *,
    email: str = "",
    name: str = "",
    language: str = "",
    is_verified: bool,
    source: str = "",
    external_id: str = "",
    user=None,
) -> Contact | None:
    """One contact per person across channels.

    - a signed-in user → their linked contact (linked by their proven address on first use);
    - a verified identity (a widget user id the host signed) → the contact it was linked to,
      or, the first time, the contact of its (verified) address, and the link is remembered;
    - an unverified claim (an address typed into a form or chat) → the contact of that address
      for recording only: it never links an identity, never merges, never changes their data.
    """
    if user is not None and getattr(user, "is_authenticated", False):
        return contact_for_user(user)
    if is_verified and source and external_id:
        identity = (
            ContactIdentity.objects.select_related("contact")
            .filter(source=source[:64], external_id=external_id[:200])
            .first()
        )
        if identity is not None:
            return identity.contact
        if not email:
            return None
        contact = get_or_create_contact(email=email, name=name, language=language, is_verified=True)
        ContactIdentity.objects.get_or_create(
            source=source[:64], external_id=external_id[:200], defaults={"contact": contact}
        )
        return contact
    if not email:
        return None
    known = find_contact(email)
    if known is not None:
        return known  # recorded under the address; nothing of theirs changes
    return get_or_create_contact(email=email, name=name, language=language)


def add_contact_email(*, contact: Contact, email: str) -> ContactEmail:
    """Give a contact one more address; an address of another contact is refused (merge them)."""
    email = email.strip().lower()
    try:
        validate_email(email)
    except ValidationError as exc:
        raise ContactError(
            _("“%(email)s” is not a valid email address.") % {"email": email}
        ) from exc
    owner = find_contact(email)
    if owner is not None and owner.pk != contact.pk:
        raise ContactError(
            _("%(email)s belongs to another contact; merge the two instead.") % {"email": email}
        )
    if owner is not None:
        return ContactEmail.objects.filter(contact=contact, email__iexact=email).first() or (
            ContactEmail(contact=contact, email=email)  # it is the main address
        )
    return ContactEmail.objects.create(contact=contact, email=email)


def _tags(names) -> list[ContactTag]:
    slugs = {slugify(str(n), allow_unicode=True)[:50] for n in names}
    return [ContactTag.objects.get_or_create(name=s)[0] for s in sorted(slugs) if s]


EDITABLE = {"name", "phone", "language", "time_zone", "notes", "organisation"}


@transaction.atomic
def update_contact(
    *, contact: Contact, tags=None, attributes: dict | None = None, **fields
) -> Contact:
    """Change profile fields, tags and custom attributes (validated by their definitions)."""
    unknown = set(fields) - EDITABLE
    if unknown:
        raise ContactError(
            _("These fields cannot be changed here: %(fields)s.")
            % {"fields": ", ".join(sorted(unknown))}
        )
    if contact.is_erased:
        raise ContactError(_("An erased contact cannot be edited."))
    for name, value in fields.items():
        setattr(contact, name, value)
    if attributes is not None:
        contact.attributes = validate_attributes(
            target=AttributeTarget.CONTACT, values=attributes, existing=contact.attributes
        )
    contact.full_clean(exclude=["email", "user", "organisation"])
    contact.save()
    if tags is not None:
        contact.tags.set(_tags(tags))
    return contact


@transaction.atomic
def create_contact(*, email: str, other_emails=(), tags=None, attributes=None, **fields) -> Contact:
    """A new contact; an address that is already someone's is refused (update that one)."""
    email = email.strip().lower()
    existing = find_contact(email)
    if existing is not None:
        raise ContactError(
            _("%(email)s is already contact %(id)s.") % {"email": email, "id": existing.pk}
        )
    contact = Contact.objects.create(email=email, organisation=organisation_for(email))
    contact = update_contact(contact=contact, tags=tags, attributes=attributes or {}, **fields)
    set_other_emails(contact=contact, emails=other_emails)
    return contact


@transaction.atomic
def set_other_emails(*, contact: Contact, emails) -> None:
    """Make the contact's further addresses exactly these (none may belong to another contact)."""
    wanted = {e.strip().lower() for e in emails if e.strip()} - {contact.email.lower()}
    contact.other_emails.exclude(email__in=wanted).delete()
    for email in sorted(wanted):
        add_contact_email(contact=contact, email=email)
