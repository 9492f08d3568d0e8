"""A visitor opens the help center home in a real browser and switches to Arabic."""

import pytest

from tests.e2e.conftest import assert_accessible, save_screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_visitor_sees_search_and_can_switch_to_arabic(page, live_server):
    page.goto(f"{live_server.url}/")
    assert page.url == f"{live_server.url}/en/"
    assert page.get_by_role("heading", level=1).inner_text() == "How can we help?"
    assert page.get_by_role("searchbox", name="Search the help center").is_visible()
    assert page.get_by_role("navigation", name="Main").is_visible()
    assert_accessible(page)

    # The skip link is the first thing a keyboard user reaches.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Skip to main content"
    save_screenshot(page, "help-center-home-en")

    page.get_by_label("Language").select_option("ar")
    page.get_by_role("button", name="Change").click()
    page.wait_for_url(f"{live_server.url}/ar/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.get_by_role("heading", level=1).inner_text() == "كيف يمكننا مساعدتك؟"
    assert_accessible(page)
    save_screenshot(page, "help-center-home-ar")
