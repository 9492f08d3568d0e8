"""Desk pages: agents only (404 otherwise), search, segments, the contact page, the ticket panel,
merge and privacy actions; query counts that do not grow with the page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from customers.models import AuditLog, Contact, ImportJob, Segment
from customers.services import get_or_create_contact
from helpdesk.events import record_event
from tests.tickets.factories import make_ticket

pytestmark = pytest.mark.django_db


@pytest.fixture
def contacts():
    return [
        get_or_create_contact(email=f"person{i}@example.com", name=f"Person {i}") for i in range(5)
    ]


@pytest.mark.parametrize("name", ["desk-contacts", "desk-contact-imports"])
def test_customers_and_anonymous_cannot_see_the_pages(client, customer, name):
    url = reverse(name)
    assert client.get(url).status_code == 302  # to the login page
    client.force_login(customer)
    assert client.get(url).status_code == 404


def test_contact_page_is_for_agents_only(client, customer, contacts):
    client.force_login(customer)
    assert client.get(reverse("desk-contact", args=[contacts[0].pk])).status_code == 404


def test_agents_search_contacts_by_name_or_address(client, agent, contacts):
    client.force_login(agent)
    response = client.get(reverse("desk-contacts"), {"q": "person3@EXAMPLE.com"})
    assert response.status_code == 200
    assert list(response.context["contacts"]) == [contacts[3]]
    response = client.get(reverse("desk-contacts"), {"q": "Person"})
    assert len(response.context["contacts"]) == 5


def test_the_list_costs_the_same_queries_for_five_or_fifty_contacts(
    client, agent, contacts, django_assert_num_queries
):
    client.force_login(agent)
    client.get(reverse("desk-contacts"))  # warm the session
    with django_assert_num_queries(6) as small:
        client.get(reverse("desk-contacts"))
    for i in range(45):
        get_or_create_contact(email=f"more{i}@example.com")
    with django_assert_num_queries(len(small.captured_queries)):
        client.get(reverse("desk-contacts"))


def test_filters_saved_as_a_segment_apply_again(client, agent, contacts):
    contacts[1].language = "fi"
    contacts[1].save()
    client.force_login(agent)
    response = client.post(reverse("desk-segment-create"), {"name": "Finnish", "language": "fi"})
    segment = Segment.objects.get()
    assert segment.filters == {"language": "fi"} and response.status_code == 302
    listed = client.get(reverse("desk-contacts"), {"segment": segment.pk}).context["contacts"]
    assert list(listed) == [contacts[1]]


def test_the_contact_page_shows_the_timeline_across_channels(client, agent):
    ticket = make_ticket(email="casey@example.com", subject="Broken lamp")
    record_event(kind="kb.article_voted", contact_id=ticket.requester_id, data={"value": 1})
    client.force_login(agent)
    response = client.get(reverse("desk-contact", args=[ticket.requester_id]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Broken lamp" in html and "Voted on an article" in html
    url = reverse("desk-contact", args=[ticket.requester_id])
    only_tickets = client.get(url, {"kind": "ticket,email"}).content.decode()
    assert "Broken lamp" in only_tickets and "Voted on an article" not in only_tickets
    ignored = client.get(url, {"kind": "<script>"}).content.decode()
    assert "Voted on an article" in ignored and "<script>" not in ignored


def test_the_ticket_page_has_the_requesters_timeline_panel(client, agent):
    ticket = make_ticket(email="casey@example.com", subject="Broken lamp")
    record_event(kind="guide.completed", contact_id=ticket.requester_id, data={"guide": "reset"})
    client.force_login(agent)
    html = client.get(reverse("desk-ticket", args=[ticket.pk])).content.decode()
    panel_url = reverse("desk-contact-panel", args=[ticket.requester_id])
    assert "Customer timeline" in html and f'hx-get="{panel_url}"' in html
    assert reverse("desk-contact", args=[ticket.requester_id]) in html
    # The panel's events arrive after the page (htmx), so the page keeps its query budget.
    fragment = client.get(panel_url).content.decode()
    assert "Completed a guide" in fragment and "Broken lamp" in fragment


def test_only_agents_get_the_timeline_panel(client, customer):
    ticket = make_ticket(email="casey@example.com", subject="Broken lamp")
    client.force_login(customer)
    response = client.get(reverse("desk-contact-panel", args=[ticket.requester_id]))
    assert response.status_code == 404


def test_an_agent_merges_a_duplicate_by_address(client, agent):
    keep = make_ticket(email="casey@example.com").requester
    dup_ticket = make_ticket(email="casey@gmail.example")
    client.force_login(agent)
    response = client.post(
        reverse("desk-contact-merge", args=[keep.pk]), {"source": "CASEY@gmail.example"}
    )
    assert response.status_code == 302
    dup_ticket.refresh_from_db()
    assert dup_ticket.requester == keep


def test_only_admins_export_and_erase(client, agent, admin_user, contacts):
    person = contacts[0]
    client.force_login(agent)
    assert client.get(reverse("desk-contact-export", args=[person.pk])).status_code == 404
    assert (
        client.post(
            reverse("desk-contact-erase", args=[person.pk]), {"confirm": "erase"}
        ).status_code
        == 404
    )
    client.force_login(admin_user)
    export = client.get(reverse("desk-contact-export", args=[person.pk]))
    assert export.status_code == 200 and export.json()["contact"]["email"] == person.email
    client.post(reverse("desk-contact-erase", args=[person.pk]), {"confirm": "nope"})
    assert not Contact.objects.get(pk=person.pk).is_erased
    client.post(reverse("desk-contact-erase", args=[person.pk]), {"confirm": "erase"})
    assert Contact.objects.get(pk=person.pk).is_erased
    assert set(AuditLog.objects.values_list("action", flat=True)) == {"export", "erase"}


def test_an_admin_uploads_a_csv_and_sees_the_progress(
    client, admin_user, django_capture_on_commit_callbacks
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(admin_user)
    upload = SimpleUploadedFile("c.csv", b"email,name\nnew@example.com,New\nbad,Bad\n", "text/csv")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("desk-contact-imports"), {"kind": "contact", "file": upload})
    assert response.status_code == 302
    job = ImportJob.objects.get()
    assert (job.status, job.created_count, job.error_count) == ("done", 1, 1)
    page = client.get(reverse("desk-contact-imports")).content.decode()
    assert 'value="100"' in page and "error report" in page
