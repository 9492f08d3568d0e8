"""The widget in Finnish, Chinese and Arabic (right to left), and its rating after a hand-off.

Runs on a host page of another origin (fixtures from test_chat_widget): the page's `lang`
chooses the widget's strings and the bot's language.
"""

from __future__ import annotations

import pytest

from chatbot.models import Conversation, Ticket
from tests.e2e import test_chat_widget as widget_tests
from tests.e2e.conftest import save_screenshot
from tests.e2e.test_chat_widget import _active, _axe_in_shadow

# The host site on another origin and the shop widget, shared with test_chat_widget.
host_site = widget_tests.host_site
shop = widget_tests.shop

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

LANGUAGES = [
    # page, launcher, dialog, bot greeting, send button, direction, stored language
    ("fi.html", "Keskustele kanssamme", "Asiakastuki", "Missä voin auttaa?", "Lähetä", "ltr", "fi"),
    ("zh.html", "在线咨询", "客户支持", "请问需要什么帮助？", "发送", "ltr", "zh-hans"),
    ("ar.html", "تحدث معنا", "دعم العملاء", "بماذا يمكنني مساعدتك؟", "إرسال", "rtl", "ar"),
]


@pytest.mark.parametrize(
    ("page_name", "launcher", "title", "greeting", "send", "direction", "language"),
    LANGUAGES, ids=["fi", "zh-hans", "ar"],
)  # fmt: skip
def test_widget_speaks_the_language_of_the_page(
    page, shop, page_name, launcher, title, greeting, send, direction, language
):
    page.emulate_media(reduced_motion="reduce")
    page.goto(f"{shop['origin']}/{page_name}")
    page.get_by_role("button", name=launcher).click()
    dialog = page.get_by_role("dialog", name=title)
    dialog.wait_for()
    dialog.get_by_text(greeting).wait_for()
    assert dialog.get_by_role("button", name=send, exact=True).is_visible()
    found = page.evaluate(
        "() => { const h = document.querySelector('[data-helpdesk-chat]');"
        " return [h.dir, h.lang, getComputedStyle(h.shadowRoot.querySelector('.p')).direction]; }"
    )
    assert found == [direction, language, direction]
    assert Conversation.objects.get().language == language
    _axe_in_shadow(page)
    save_screenshot(page, f"chat-widget-{language}")


def test_visitor_rates_the_chat_after_the_hand_off_by_keyboard(page, shop):
    page.emulate_media(reduced_motion="reduce")
    page.goto(f"{shop['origin']}/fi.html")
    page.get_by_role("button", name="Keskustele kanssamme").click()
    dialog = page.get_by_role("dialog", name="Asiakastuki")
    dialog.get_by_text("Missä voin auttaa?").wait_for()
    rating = dialog.get_by_role("group", name="Oliko tästä keskustelusta apua?")
    assert not rating.is_visible()  # nothing to rate before a person is involved

    page.keyboard.type("haluan puhua ihmisen kanssa")
    page.keyboard.press("Enter")
    email = dialog.get_by_role("textbox", name="Sähköpostiosoitteesi")
    message = page.get_by_label("Viesti")
    page.wait_for_function(
        "() => { const r = document.querySelector('[data-helpdesk-chat]').shadowRoot;"
        " return !r.querySelector('#hc-email').closest('form').hidden"
        " || /sähköpostiosoitteesi/i.test(r.querySelector('.g').lastElementChild.textContent); }"
    )
    (email if email.is_visible() else message).fill("anni@example.com")
    page.keyboard.press("Enter")
    rating.wait_for()
    assert Ticket.objects.count() == 1

    yes = rating.get_by_role("button", name="Kyllä")
    yes.focus()
    page.keyboard.press("Enter")
    dialog.get_by_text("Kiitos palautteestasi!").wait_for()
    assert yes.get_attribute("aria-pressed") == "true"
    assert _active(page).startswith("textarea#hc-note")
    conversation = Conversation.objects.get()
    assert conversation.rating == "good"

    page.keyboard.type("Nopea apu, kiitos")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # "Lähetä kommentti"
    page.wait_for_function(
        "() => document.querySelector('[data-helpdesk-chat]').shadowRoot"
        ".querySelector('#hc-note').closest('div').hidden"
    )
    conversation.refresh_from_db()
    assert (conversation.rating, conversation.rating_comment) == ("good", "Nopea apu, kiitos")
    _axe_in_shadow(page)
    save_screenshot(page, "chat-widget-rated")

    # After a reload the choice is remembered and the comment box does not come back.
    page.reload()
    page.get_by_role("button", name="Keskustele kanssamme").click()
    rating = page.get_by_role("group", name="Oliko tästä keskustelusta apua?")
    rating.wait_for()
    assert rating.get_by_role("button", name="Kyllä").get_attribute("aria-pressed") == "true"
    assert not page.get_by_label("Kommentti (vapaaehtoinen)").is_visible()
