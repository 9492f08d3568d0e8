"""Customer writes: contacts and their identities, attributes, merge, privacy, CSV import."""

from .attributes import validate_attributes
from .contacts import (
    ContactError,
    add_contact_email,
    contact_for_user,
    create_contact,
    find_contact,
    get_or_create_contact,
    organisation_for,
    resolve_contact,
    set_other_emails,
    update_contact,
)
from .imports import start_import
from .merge import merge_contacts
from .privacy import erase_contact, export_contact_data

__all__ = [
    "ContactError",
    "add_contact_email",
    "contact_for_user",
    "create_contact",
    "erase_contact",
    "export_contact_data",
    "find_contact",
    "get_or_create_contact",
    "merge_contacts",
    "organisation_for",
    "resolve_contact",
    "set_other_emails",
    "start_import",
    "update_contact",
    "validate_attributes",
]
