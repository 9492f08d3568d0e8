"""Identity across channels: address, verified widget identity and signed-in user resolve to
one contact; an unverified claim never links, merges or changes a known contact."""

from __future__ import annotations

import pytest

from customers.models import Contact, ContactIdentity, Organisation
from customers.services import (
    ContactError,
    add_contact_email,
    contact_for_user,
    find_contact,
    get_or_create_contact,
    resolve_contact,
)

pytestmark = pytest.mark.django_db


def test_any_address_of_a_contact_in_any_case_finds_the_same_contact():
    casey = get_or_create_contact(email="Casey@Example.com", name="Casey")
    add_contact_email(contact=casey, email="casey.work@acme.example")
    assert find_contact("CASEY@example.com") == casey
    assert get_or_create_contact(email="Casey.Work@ACME.example") == casey
    assert Contact.objects.count() == 1


def test_an_address_of_another_contact_cannot_be_added():
    get_or_create_contact(email="robin@example.com")
    casey = get_or_create_contact(email="casey@example.com")
    with pytest.raises(ContactError, match="merge"):
        add_contact_email(contact=casey, email="ROBIN@example.com")


def test_a_signed_in_user_resolves_to_the_contact_of_their_address(customer):
    earlier = get_or_create_contact(email=customer.email.upper())
    assert resolve_contact(user=customer, is_verified=True) == earlier
    earlier.refresh_from_db()
    assert earlier.user == customer
    customer.email = "changed@example.com"  # the link holds after they change their address
    customer.save()
    customer.refresh_from_db()
    assert contact_for_user(customer) == earlier


def test_a_verified_widget_identity_keeps_resolving_after_the_email_changes():
    first = resolve_contact(
        email="casey@example.com", is_verified=True, source="widget:shop", external_id="u-42"
    )
    again = resolve_contact(
        email="casey.new@example.com", is_verified=True, source="widget:shop", external_id="u-42"
    )
    assert again == first
    assert ContactIdentity.objects.get().contact == first


def test_the_same_external_id_on_another_widget_is_another_identity():
    one = resolve_contact(
        email="a@example.com", is_verified=True, source="widget:a", external_id="1"
    )
    two = resolve_contact(
        email="b@example.com", is_verified=True, source="widget:b", external_id="1"
    )
    assert one != two


def test_an_unverified_claim_never_links_merges_or_changes_a_known_contact():
    known = resolve_contact(
        email="casey@example.com",
        name="Casey Real",
        is_verified=True,
        source="widget:shop",
        external_id="u-1",
    )
    claimed = resolve_contact(
        email="CASEY@example.com",
        name="Mallory",
        language="fi",
        is_verified=False,
        source="widget:shop",
        external_id="u-666",
    )
    known.refresh_from_db()
    assert claimed == known  # recorded under the address...
    assert (known.name, known.language) == ("Casey Real", "")  # ...but nothing of theirs changed
    assert not ContactIdentity.objects.filter(external_id="u-666").exists()
    # The verified identity still resolves to its own contact, never to the claimant's.
    other = resolve_contact(
        email="mallory@example.com", is_verified=True, source="widget:shop", external_id="u-666"
    )
    assert other != known and Contact.objects.count() == 2


def test_an_unverified_claim_without_a_known_address_creates_a_plain_contact():
    contact = resolve_contact(email="new@example.com", name="New", is_verified=False)
    assert contact.name == "New" and not contact.identities.exists()


def test_a_contact_linked_to_another_account_is_never_taken_over(make_user):
    owner = make_user(email="owner@example.com")
    contact = contact_for_user(owner)
    Contact.objects.filter(pk=contact.pk).update(email="shared@example.com")
    intruder = make_user(email="shared@example.com")
    with pytest.raises(ContactError):
        contact_for_user(intruder)


def test_new_contacts_join_the_organisation_of_their_domain():
    acme = Organisation.objects.create(name="Acme", domains=["acme.example"])
    assert get_or_create_contact(email="lee@ACME.example").organisation == acme
    assert get_or_create_contact(email="lee@other.example").organisation is None


def test_domains_are_kept_in_one_spelling_and_matched_without_a_query_per_organisation():
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from customers.services import organisation_for

    acme = Organisation.objects.create(name="Acme", domains=[" @ACME.example", "acme.example", ""])
    assert Organisation.objects.get(pk=acme.pk).domains == ["acme.example"]
    for n in range(5):
        Organisation.objects.create(name=f"Other {n}", domains=[f"other{n}.example"])
    assert organisation_for("x@nowhere.example") is None  # reads the domains once
    with CaptureQueriesContext(connection) as queries:
        assert organisation_for("y@nowhere.example") is None
        assert organisation_for("lee@Acme.Example") == acme
    assert len(queries.captured_queries) == 1  # the matching organisation, by id
    # An organisation saved later is matched on the next lookup.
    later = Organisation.objects.create(name="Later", domains=["later.example"])
    assert organisation_for("kim@later.example") == later
    later.delete()
    assert organisation_for("kim@later.example") is None


def test_a_typed_address_never_fills_in_a_known_contacts_details():
    known = get_or_create_contact(email="casey@example.com")
    get_or_create_contact(email="casey@example.com", name="Mallory", language="ar")
    known.refresh_from_db()
    assert (known.name, known.language) == ("", "")
    get_or_create_contact(email="casey@example.com", name="Casey", language="fi", is_verified=True)
    known.refresh_from_db()
    assert (known.name, known.language) == ("Casey", "fi")
