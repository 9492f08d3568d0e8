"""A visitor is offered articles while typing, sends the form, follows the emailed link to the
ticket and sees the agent's reply; in English and Arabic, axe-clean on every page."""

import re

import pytest
from django.core import mail
from haystack import connections

from helpdesk.search_tasks import sync_documents
from tests.e2e.conftest import assert_accessible, save_screenshot
from tests.helpdesk.factories import UserFactory
from tests.kb.factories import make_article
from tickets.models import Ticket
from tickets.services import add_message

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def article():
    connections["default"].get_backend().clear()
    article = make_article(title="Track your order", body="Open **My orders** to track it.")
    sync_documents("kb.article", [article.pk])
    yield article
    connections["default"].get_backend().clear()


def test_visitor_is_helped_then_writes_and_follows_their_ticket(page, live_server, article):
    page.goto(f"{live_server.url}/en/contact/")
    assert_accessible(page)
    page.get_by_label("Subject").fill("track order")
    suggestions = page.locator("#contact-suggestions")
    suggestion = suggestions.get_by_role("link", name=re.compile("Track your order"))
    suggestion.wait_for()
    assert suggestion.get_attribute("target") == "_blank"
    assert_accessible(page)
    save_screenshot(page, "contact-suggestions-en")

    page.get_by_label("Your name").fill("Casey")
    page.get_by_label("Your email address").fill("casey@example.com")
    page.get_by_label("Subject").fill("Where is my <b>parcel</b>?")
    page.get_by_label("How can we help?").fill("Order NW-12345 has not arrived.")
    page.get_by_role("button", name="Send message").click()
    page.wait_for_url("**/en/contact/sent/")
    ticket = Ticket.objects.get()
    assert ticket.reference in page.locator("main").inner_text()
    assert_accessible(page)
    save_screenshot(page, "contact-sent-en")

    [email] = mail.outbox
    link = re.search(r"http://\S+/portal/t/\S+/", email.body).group(0)
    page.goto(link.replace("http://127.0.0.1:8000", live_server.url))
    page.wait_for_url(f"**/en/portal/tickets/{ticket.pk}/")
    assert page.get_by_role("heading", level=1).inner_text() == "Where is my <b>parcel</b>?"
    assert "Order NW-12345 has not arrived." in page.locator("main").inner_text()
    assert_accessible(page)

    agent = UserFactory(role="agent", name="Aino Agent")
    add_message(ticket=ticket, body="Your parcel is at the depot.", author_user=agent)
    page.reload()
    conversation = page.get_by_role("region", name="Conversation")
    assert "Your parcel is at the depot." in conversation.inner_text()
    assert "Aino Agent" in conversation.inner_text()
    assert_accessible(page)
    save_screenshot(page, "portal-ticket-en")

    page.get_by_label("Language").select_option("ar")
    page.get_by_role("button", name="Change").click()
    page.wait_for_url(f"**/ar/portal/tickets/{ticket.pk}/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert_accessible(page)
    save_screenshot(page, "portal-ticket-ar")


def test_contact_form_works_and_reads_right_to_left_in_arabic(page, live_server):
    page.goto(f"{live_server.url}/ar/contact/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert_accessible(page)
    save_screenshot(page, "contact-ar")
    page.get_by_role("button").last.click()  # nothing filled in: errors, nothing lost
    assert page.locator("[role=alert]").count() == 1
    assert_accessible(page)


def test_expired_link_page_offers_a_new_link(page, live_server):
    page.goto(f"{live_server.url}/en/portal/t/not-a-real-token/")
    assert page.get_by_role("heading", level=1).inner_text() == "This link no longer works"
    assert_accessible(page)
    page.get_by_label("Your email address").fill("casey@example.com")
    page.get_by_label("Request reference").fill("HD-1")
    page.get_by_role("button", name="Email me a new link").click()
    assert page.get_by_role("status").is_visible()
    assert_accessible(page)
    save_screenshot(page, "portal-link-request-en")
