"""An agent signs in, filters the queue, opens a ticket, inserts a canned response and sends it."""

import pytest

from customers.services import get_or_create_contact
from tests.e2e.conftest import assert_accessible, save_screenshot
from tests.helpdesk.factories import TEST_PASSWORD
from tickets.models import CannedResponse, Queue
from tickets.services import create_ticket

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def desk_data(agent):
    queue = Queue.objects.create(name="Billing", slug="billing", is_default=True)
    queue.members.add(agent)
    casey = get_or_create_contact(email="casey@example.com", name="Casey Jones")
    lea = get_or_create_contact(email="lea@example.com", name="Lea Laine")
    create_ticket(
        subject="Invoice is wrong",
        body="Line 2 is doubled.",
        requester=lea,
        channel="email",
        queue=queue,
    )
    ticket = create_ticket(
        subject="Refund for order 1042",
        body="The parcel never came.",
        requester=casey,
        channel="web",
        queue=queue,
    )
    CannedResponse.objects.create(
        title="Refund started",
        body="Hi {{ customer.name }}, your refund for {{ ticket.reference }} "
        "is on its way. {{ agent.name }}",
    )
    return ticket


def test_agent_answers_a_ticket_with_a_canned_response(
    page, browser, live_server, agent, desk_data, make_user
):
    page.goto(f"{live_server.url}/accounts/login/?next=/desk/")
    page.get_by_label("Email address").fill(agent.email)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/desk/")

    page.get_by_label("Subject or reference").fill("refund")
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url("**/desk/?**q=refund**")
    rows = page.locator("[data-desk-row]")
    assert rows.count() == 1
    assert_accessible(page)
    save_screenshot(page, "agent-desk-list")

    # Keyboard: j makes the first row current and focuses its link; o opens it.
    page.locator("body").press("j")
    page.keyboard.press("o")
    page.wait_for_url(f"{live_server.url}/desk/tickets/{desk_data.pk}/")
    assert page.get_by_role("heading", level=1).inner_text() == "Refund for order 1042"

    page.keyboard.press("?")
    assert page.get_by_role("dialog", name="Keyboard shortcuts").is_visible()
    page.keyboard.press("Escape")
    assert not page.get_by_role("dialog").is_visible()

    page.keyboard.press("r")
    composer = page.get_by_label("Message")
    assert page.evaluate("document.activeElement.name") == "body"
    composer.fill("Thanks for waiting.")
    page.get_by_label("Canned response").select_option(label="Refund started")
    page.get_by_role("button", name="Insert").click()
    expected = f"Hi Casey Jones, your refund for {desk_data.reference} is on its way. Aino Agent"
    assert composer.input_value() == f"Thanks for waiting.\n\n{expected}"
    assert_accessible(page)
    save_screenshot(page, "agent-desk-ticket-composer")

    page.get_by_label("Then set status").select_option("solved")
    page.get_by_role("button", name="Send", exact=True).click()
    page.wait_for_url(f"{live_server.url}/desk/tickets/{desk_data.pk}/")
    assert page.get_by_role("status").filter(has_text="Reply sent.").is_visible()
    assert page.locator(".timeline").get_by_text(expected).is_visible()
    assert page.locator(".ticket-meta").get_by_text("Solved").is_visible()
    assert_accessible(page)
    save_screenshot(page, "agent-desk-ticket-sent")

    # The customer signs in to the portal in their own browser and reads the reply there.
    casey = make_user(email="casey@example.com", name="Casey Jones", role="customer")
    contact = desk_data.requester
    contact.user = casey
    contact.save(update_fields=["user"])
    customer = browser.new_context(locale="en-US").new_page()
    customer.goto(f"{live_server.url}/accounts/login/?next=/en/portal/")
    customer.get_by_label("Email address").fill(casey.email)
    customer.get_by_label("Password").fill(TEST_PASSWORD)
    customer.get_by_role("button", name="Sign in").click()
    customer.wait_for_url(f"{live_server.url}/en/portal/")
    customer.get_by_role("link", name="Refund for order 1042").click()
    assert customer.get_by_text(expected).is_visible()
    assert customer.get_by_text("Line 2 is doubled.").count() == 0  # not someone else's
    assert_accessible(customer)
    save_screenshot(customer, "portal-sees-agent-reply")
    customer.context.close()
