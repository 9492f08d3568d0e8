"""Customer API: contacts, organisations, attribute definitions, segments, timeline, merge,
privacy; agents only (admins for privacy and definitions); documented in the schema."""

from __future__ import annotations

import pytest
import yaml
from django.core.management import call_command
from rest_framework.test import APIClient

from customers.models import AttributeDefinition, Contact, Organisation
from customers.services import get_or_create_contact
from tests.tickets.factories import make_ticket

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(agent):
    client = APIClient()
    client.force_authenticate(agent)
    return client


@pytest.fixture
def admin_api(admin_user):
    client = APIClient()
    client.force_authenticate(admin_user)
    return client


def test_customers_and_anonymous_callers_are_refused(customer):
    client = APIClient()
    assert client.get("/api/v1/contacts/").status_code in (401, 403)
    client.force_authenticate(customer)
    assert client.get("/api/v1/contacts/").status_code == 403


def test_create_read_and_update_a_contact_with_typed_attributes(api):
    AttributeDefinition.objects.create(
        target="contact", key="plan", label="Plan", type="choice", choices=["free", "gold"]
    )
    created = api.post(
        "/api/v1/contacts/",
        {
            "email": "Casey@Example.com",
            "name": "Casey",
            "tags": ["vip"],
            "time_zone": "Europe/Helsinki",
            "attributes": {"plan": "gold"},
            "other_emails": ["casey@gmail.example"],
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["email"], body["tags"], body["attributes"]) == (
        "casey@example.com",
        ["vip"],
        {"plan": "gold"},
    )
    assert body["other_emails"] == ["casey@gmail.example"]
    bad = api.patch(
        f"/api/v1/contacts/{body['id']}/", {"attributes": {"plan": "silver"}}, format="json"
    )
    assert bad.status_code == 400 and "attributes.plan" in bad.json()
    assert (
        api.patch(
            f"/api/v1/contacts/{body['id']}/", {"time_zone": "Mars/Base"}, format="json"
        ).status_code
        == 400
    )
    ok = api.patch(f"/api/v1/contacts/{body['id']}/", {"phone": "+358 40 1"}, format="json")
    assert ok.json()["phone"] == "+358 40 1" and ok.json()["attributes"] == {"plan": "gold"}


def test_an_address_that_already_has_a_contact_cannot_be_created_again(api):
    get_or_create_contact(email="casey@example.com")
    response = api.post("/api/v1/contacts/", {"email": "CASEY@example.com"}, format="json")
    assert response.status_code == 400 and "already contact" in response.json()["detail"]


def test_the_list_filters_and_pages_with_a_cursor(api):
    acme = Organisation.objects.create(name="Acme", domains=["acme.example"])
    for i in range(7):
        get_or_create_contact(email=f"p{i}@acme.example" if i % 2 else f"p{i}@other.example")
    first = api.get("/api/v1/contacts/", {"organisation": acme.pk}).json()
    assert len(first["results"]) == 3 and first["next_cursor"] == ""
    assert api.get("/api/v1/contacts/", {"created_after": "yesterday"}).status_code == 400


def test_segments_are_saved_and_applied(api):
    get_or_create_contact(email="fi@example.com", language="fi")
    get_or_create_contact(email="en@example.com", language="en")
    segment = api.post(
        "/api/v1/segments/",
        {"name": "Finns", "filters": {"language": "fi", "junk": 1}},
        format="json",
    ).json()
    assert segment["filters"] == {"language": "fi"}
    listed = api.get("/api/v1/contacts/", {"segment": segment["id"]}).json()["results"]
    assert [c["email"] for c in listed] == ["fi@example.com"]
    url = f"/api/v1/segments/{segment['id']}/"
    bad = api.patch(url, {"filters": {"created_after": "soon"}}, format="json")
    assert bad.status_code == 400 and "filters" in bad.json()
    api.patch(url, {"filters": {"language": "en"}}, format="json")
    listed = api.get("/api/v1/contacts/", {"segment": segment["id"]}).json()["results"]
    assert [c["email"] for c in listed] == ["en@example.com"]
    assert api.delete(url).status_code == 204


def test_timeline_and_merge(api):
    keep = make_ticket(email="casey@example.com", subject="First").requester
    dup = make_ticket(email="casey@gmail.example", subject="Second").requester
    merged = api.post(f"/api/v1/contacts/{keep.pk}/merge", {"source": dup.pk}, format="json")
    assert merged.status_code == 200 and merged.json()["other_emails"] == ["casey@gmail.example"]
    page = api.get(f"/api/v1/contacts/{keep.pk}/timeline/", {"limit": 1, "kind": "ticket"}).json()
    assert len(page["results"]) == 1 and page["next_cursor"]
    older = api.get(
        f"/api/v1/contacts/{keep.pk}/timeline/", {"cursor": page["next_cursor"], "kind": "ticket"}
    ).json()
    titles = {i["title"] for i in page["results"] + older["results"]}
    assert any("First" in t for t in titles) and any("Second" in t for t in titles)
    assert (
        api.post(f"/api/v1/contacts/{keep.pk}/merge", {"source": 999999}, format="json").status_code
        == 400
    )


def test_privacy_endpoints_are_for_admins(api, admin_api):
    contact = get_or_create_contact(email="casey@example.com", name="Casey")
    assert api.get(f"/api/v1/contacts/{contact.pk}/privacy-export").status_code == 403
    assert api.post(f"/api/v1/contacts/{contact.pk}/erase").status_code == 403
    assert (
        admin_api.get(f"/api/v1/contacts/{contact.pk}/privacy-export").json()["contact"]["name"]
        == "Casey"
    )
    erased = admin_api.post(f"/api/v1/contacts/{contact.pk}/erase").json()
    assert erased["name"] == "" and erased["erased_at"]
    assert admin_api.post(f"/api/v1/contacts/{contact.pk}/erase").status_code == 400


def test_attribute_definitions_are_written_by_admins_and_validated(api, admin_api):
    assert api.post("/api/v1/attribute-definitions/", {}, format="json").status_code == 403
    bad = admin_api.post(
        "/api/v1/attribute-definitions/",
        {"target": "contact", "key": "plan", "label": "Plan", "type": "choice"},
        format="json",
    )
    assert bad.status_code == 400
    good = admin_api.post(
        "/api/v1/attribute-definitions/",
        {"target": "organisation", "key": "tier", "label": "Tier", "type": "number"},
        format="json",
    )
    assert good.status_code == 201
    assert [d["key"] for d in api.get("/api/v1/attribute-definitions/").json()] == ["tier"]
    org = Organisation.objects.create(name="Acme")
    assert (
        api.patch(
            f"/api/v1/organisations/{org.pk}/", {"attributes": {"tier": "x"}}, format="json"
        ).status_code
        == 400
    )
    ok = api.patch(
        f"/api/v1/organisations/{org.pk}/",
        {"attributes": {"tier": "2"}, "domains": ["@ACME.example"]},
        format="json",
    ).json()
    assert ok["attributes"] == {"tier": 2} and ok["domains"] == ["acme.example"]


def test_the_customer_api_is_in_the_schema(tmp_path):
    target = tmp_path / "schema.yaml"
    call_command("spectacular", "--file", str(target))
    paths = yaml.safe_load(target.read_text())["paths"]
    for path in (
        "/api/v1/contacts/",
        "/api/v1/contacts/{id}/",
        "/api/v1/contacts/{id}/timeline/",
        "/api/v1/contacts/{id}/merge",
        "/api/v1/contacts/{id}/privacy-export",
        "/api/v1/contacts/{id}/erase",
        "/api/v1/organisations/",
        "/api/v1/segments/",
        "/api/v1/attribute-definitions/",
        "/api/v1/contact-imports/",
        "/api/v1/contact-imports/{id}/",
        "/api/v1/contacts/export.csv",
    ):
        assert path in paths, path
    assert Contact.objects.count() == 0
