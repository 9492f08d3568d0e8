"""In a real browser: an admin finds a customer by keyboard, reads their timeline, and the
customer pages pass axe-core's WCAG 2.2 AA rules."""

from __future__ import annotations

import pytest

from customers.models import Organisation
from customers.services import get_or_create_contact
from helpdesk.events import record_event
from tests.e2e.conftest import assert_accessible, save_screenshot
from tests.helpdesk.factories import TEST_PASSWORD
from tests.tickets.factories import make_ticket

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def customers_data():
    Organisation.objects.create(name="Acme", domains=["acme.example"])
    ticket = make_ticket(email="lee@acme.example", name="Lee Worker", subject="Cannot log in")
    record_event(kind="kb.article_voted", contact_id=ticket.requester_id, data={"value": 1})
    get_or_create_contact(email="casey@example.com", name="Casey Jones")
    return ticket


def test_an_admin_finds_a_customer_and_reads_their_timeline(
    page,
    live_server,
    admin_user,
    customers_data,
):
    page.goto(f"{live_server.url}/accounts/login/?next=/desk/customers/")
    page.get_by_label("Email address").fill(admin_user.email)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/desk/customers/")
    assert_accessible(page)

    page.get_by_label("Name or email").fill("lee@acme")
    page.get_by_label("Name or email").press("Enter")
    page.wait_for_url("**/desk/customers/?**q=lee**")
    link = page.get_by_role("link", name="Lee Worker")
    link.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/desk/customers/{customers_data.requester_id}/")
    assert page.get_by_role("heading", level=1).inner_text() == "Lee Worker"
    timeline = page.get_by_role("region", name="Timeline")
    assert "Cannot log in" in timeline.inner_text()
    assert "Voted on an article" in timeline.inner_text()
    assert_accessible(page)
    save_screenshot(page, "customers-contact-page")

    page.goto(f"{live_server.url}/desk/customers/imports/")
    assert_accessible(page)
