"""Admin: contacts and organisations pages load; privacy export, erase and merge actions work
and are audited; attributes typed in admin are checked."""

from __future__ import annotations

import pytest
from django.urls import reverse

from customers.models import AttributeDefinition, AuditLog, Contact, Organisation
from customers.services import get_or_create_contact
from tests.tickets.factories import make_ticket

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(client, admin_user):
    client.force_login(admin_user)
    return client


@pytest.mark.parametrize(
    "name",
    ["customers_contact", "customers_organisation", "customers_attributedefinition",
     "customers_segment", "customers_importjob", "customers_auditlog"],
)  # fmt: skip
def test_admin_lists_load(staff, name):
    get_or_create_contact(email="casey@example.com")
    assert staff.get(reverse(f"admin:{name}_changelist")).status_code == 200


def test_contact_change_page_loads_with_its_addresses(staff):
    contact = get_or_create_contact(email="casey@example.com")
    contact.other_emails.create(email="casey@gmail.example")
    page = staff.get(reverse("admin:customers_contact_change", args=[contact.pk]))
    assert page.status_code == 200 and "casey@gmail.example" in page.content.decode()


def test_privacy_export_erase_and_merge_actions(staff):
    keep = make_ticket(email="casey@example.com").requester
    dup = make_ticket(email="casey@gmail.example").requester
    url = reverse("admin:customers_contact_changelist")
    export = staff.post(url, {"action": "privacy_export", "_selected_action": [keep.pk]})
    assert export.json()[0]["contact"]["email"] == "casey@example.com"
    staff.post(url, {"action": "merge_into_first", "_selected_action": [keep.pk, dup.pk]})
    assert not Contact.objects.filter(pk=dup.pk).exists()
    staff.post(url, {"action": "erase", "_selected_action": [keep.pk]})
    assert Contact.objects.get(pk=keep.pk).is_erased
    assert set(AuditLog.objects.values_list("action", flat=True)) == {"export", "merge", "erase"}


def test_a_mistyped_attribute_in_admin_is_not_saved(staff):
    AttributeDefinition.objects.create(
        target="organisation", key="seats", label="Seats", type="number"
    )
    data = {"name": "Acme", "domains": "[]", "notes": "", "attributes": '{"seats": "many"}'}
    response = staff.post(reverse("admin:customers_organisation_add"), data)
    assert "seats" in response.content.decode()
    assert not Organisation.objects.exists()
