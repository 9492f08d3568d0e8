"""A visitor walks a troubleshooting guide in a real browser using only the keyboard."""

from __future__ import annotations

import io

import pytest

from tests.e2e.conftest import assert_accessible, save_screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo_widget():
    from chatbot.demo import load

    return load(io.StringIO())


def _press_button(page, name: str) -> None:
    """Tab until the named button has focus, then press Enter (no mouse)."""
    for _ in range(40):
        page.keyboard.press("Tab")
        focused = page.evaluate("document.activeElement.textContent.trim()")
        if focused == name:
            with page.expect_navigation():
                page.keyboard.press("Enter")
            return
    raise AssertionError(f"never reached {name!r} with Tab")


def test_keyboard_walk_to_solved(page, live_server, demo_widget):
    page.goto(f"{live_server.url}/en/guides/")
    assert page.get_by_role("heading", level=1).inner_text() == "Troubleshooting guides"
    assert_accessible(page)
    save_screenshot(page, "guides-list-en")

    page.get_by_role("link", name="I can't log in").click()
    assert page.get_by_role("group", name="What went wrong?").is_visible()
    assert_accessible(page)
    save_screenshot(page, "guide-step-1-en")

    _press_button(page, "I didn't get the email")
    assert page.get_by_role("heading", name="Step 2").is_visible()
    assert_accessible(page)
    save_screenshot(page, "guide-step-2-en")

    _press_button(page, "Yes")
    assert page.get_by_role("status").filter(has_text="Glad that solved it!").is_visible()
    assert_accessible(page)
    save_screenshot(page, "guide-solved-en")


def test_slot_error_and_contact_ending(page, live_server, demo_widget):
    page.goto(f"{live_server.url}/en/guides/order-status/")
    field = page.get_by_label("What's your order number?", exact=False)
    field.fill("hello")
    with page.expect_navigation():
        field.press("Enter")
    assert page.get_by_role("alert").inner_text().startswith("Hmm, that doesn't look like")
    assert field.get_attribute("aria-invalid") == "true"
    assert_accessible(page)
    save_screenshot(page, "guide-slot-error-en")

    field.fill("NS-12345")
    with page.expect_navigation():
        field.press("Enter")
    _press_button(page, "No")
    assert page.get_by_role("link", name="Send us a message").is_visible()
    assert_accessible(page)
    save_screenshot(page, "guide-contact-en")


def test_arabic_guide_is_right_to_left(page, live_server, demo_widget):
    page.goto(f"{live_server.url}/ar/guides/password-reset/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.get_by_role("heading", level=1).inner_text() == "لا أستطيع تسجيل الدخول"
    assert page.get_by_role("button", name="انتهت صلاحية الرابط").is_visible()
    assert_accessible(page)
    save_screenshot(page, "guide-step-1-ar")
