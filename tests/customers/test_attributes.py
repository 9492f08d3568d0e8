"""Custom attributes are checked against their definitions' types."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from customers.models import AttributeDefinition
from customers.services import get_or_create_contact, update_contact, validate_attributes

pytestmark = pytest.mark.django_db


@pytest.fixture
def definitions():
    AttributeDefinition.objects.create(
        target="contact", key="plan", label="Plan", type="choice", choices=["free", "gold"]
    )
    AttributeDefinition.objects.create(
        target="contact", key="purchases", label="Purchases", type="number"
    )
    AttributeDefinition.objects.create(
        target="contact", key="since", label="Customer since", type="date"
    )
    AttributeDefinition.objects.create(target="contact", key="note", label="Note", type="text")
    AttributeDefinition.objects.create(
        target="organisation", key="tier", label="Tier", type="text", is_required=True
    )


def test_values_are_stored_in_their_type(definitions):
    values = {"plan": "gold", "purchases": "12", "since": "2024-03-01", "note": " VIP "}
    assert validate_attributes(target="contact", values=values) == {
        "plan": "gold",
        "purchases": 12,
        "since": "2024-03-01",
        "note": "VIP",
    }
    assert validate_attributes(target="contact", values={"purchases": "2,5"}) == {"purchases": 2.5}


@pytest.mark.parametrize(
    ("values", "key"),
    [
        ({"plan": "platinum"}, "plan"),
        ({"purchases": "many"}, "purchases"),
        ({"purchases": True}, "purchases"),
        ({"purchases": "nan"}, "purchases"),
        ({"since": "01/03/2024"}, "since"),
        ({"colour": "red"}, "colour"),
        ({"tier": "x"}, "tier"),
    ],  # an organisation's attribute is not a contact's
)
def test_a_wrong_value_or_unknown_key_is_refused_by_name(definitions, values, key):
    with pytest.raises(ValidationError) as error:
        validate_attributes(target="contact", values=values)
    assert list(error.value.message_dict) == [f"attributes.{key}"]


def test_empty_removes_a_value_and_required_ones_are_enforced_on_full_validation(definitions):
    assert (
        validate_attributes(target="contact", values={"plan": ""}, existing={"plan": "gold"}) == {}
    )
    with pytest.raises(ValidationError, match="required"):
        validate_attributes(target="organisation", values={}, partial=False)


def test_updating_a_contact_merges_attributes_and_sets_tags(definitions):
    contact = get_or_create_contact(email="casey@example.com")
    update_contact(contact=contact, attributes={"plan": "free"}, tags=["VIP", "vip", "Beta user"])
    update_contact(contact=contact, attributes={"purchases": 3}, phone="+358 40 1")
    contact.refresh_from_db()
    assert contact.attributes == {"plan": "free", "purchases": 3}
    assert sorted(t.name for t in contact.tags.all()) == ["beta-user", "vip"]
    assert contact.phone == "+358 40 1"
