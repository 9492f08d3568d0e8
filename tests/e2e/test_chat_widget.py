"""The chat widget on a shop page of ANOTHER origin: bot, articles, hand-off, agent reply.

The host page is served by a tiny http.server on its own port; it loads
`{live_server.url}/static/chatbot/widget.js`, so every API call is a real cross-origin request
checked by the widget's allowed origins.
"""

from __future__ import annotations

import functools
import http.server
import json
import threading
from pathlib import Path

import pytest

from chatbot.demo import demo_bot
from chatbot.models import Conversation, Widget
from tests.e2e.conftest import AXE_TAGS, save_screenshot
from tests.kb.factories import SectionFactory, make_article
from tickets.models import Queue, Ticket
from tickets.services import add_message

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).resolve().parents[2] / "static" / "vendor" / "axe-core" / "axe.min.js"
KEY = "e2e-shop-key"
PAGE = """<!doctype html>
<html lang="{lang}"><head><meta charset="utf-8"><title>{title}</title>
<style>* {{ font-family: Georgia, serif; }} button {{ background: hotpink; }}</style></head>
<body><main><h1>{title}</h1><p>Tents, backpacks and sleeping bags.</p></main>
<script src="{src}" data-key="{key}" async></script></body></html>"""


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep pytest output clean
        pass


@pytest.fixture
def host_site(tmp_path):
    """Serve `tmp_path` on a free 127.0.0.1 port; yields (origin, directory)."""
    handler = functools.partial(_Quiet, directory=str(tmp_path))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", tmp_path
    server.shutdown()
    server.server_close()


@pytest.fixture
def shop(host_site, live_server):
    """A widget allowing the host site's exact origin, the support queue and a returns article."""
    origin, directory = host_site
    Widget.objects.create(
        name="E2E shop", public_key=KEY, allowed_origins=[origin], default_language="en",
        is_active=True, bot=demo_bot(),
    )  # fmt: skip
    Queue.objects.create(name="General", slug="general", is_default=True)
    support = Queue.objects.create(name="Support", slug="support")
    make_article(
        section=SectionFactory(),
        title="Return policy",
        body="You can return unused items within 30 days. Start a return from your order page.",
        summary="How returns and refunds work.",
        labels=["returns"],
    )
    src = f"{live_server.url}/static/chatbot/widget.js"
    for name, lang, title in [("index.html", "en", "Northwind outdoor shop"),
                              ("ar.html", "ar", "متجر نورثويند"),
                              ("fi.html", "fi", "Northwindin retkikauppa"),
                              ("zh.html", "zh-CN", "Northwind 户外用品店")]:  # fmt: skip
        page = PAGE.format(lang=lang, title=title, src=src, key=KEY)
        (directory / name).write_text(page, encoding="utf-8")
    (directory / "axe.min.js").write_bytes(AXE.read_bytes())
    return {"origin": origin, "support": support, "directory": directory}


def _shadow(page, selector: str) -> str:
    return page.evaluate(
        "s => { const r = document.querySelector('[data-helpdesk-chat]').shadowRoot;"
        " const e = r.querySelector(s); return e ? e.textContent : null; }",
        selector,
    )


def _active(page) -> str:
    """What has focus inside the widget: `tag#id.class` (or `none`)."""
    return page.evaluate(
        "() => { const h = document.querySelector('[data-helpdesk-chat]');"
        " const a = h && h.shadowRoot.activeElement;"
        " return a ? a.tagName.toLowerCase() + '#' + a.id + '.' + a.className : 'none'; }"
    )


def _axe_in_shadow(page) -> None:
    """axe-core (served by the host site) on the page, including the widget's shadow tree."""
    page.add_script_tag(url=page.url.rsplit("/", 1)[0] + "/axe.min.js")
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS
    )
    violations = [
        {"id": v["id"], "help": v["help"], "targets": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
    ]
    assert not violations, "axe-core found:\n" + json.dumps(violations, indent=2)
    # axe walks open shadow roots: make sure it actually saw the widget's controls.
    assert any("hc-msg" in json.dumps(p["nodes"]) for p in result["passes"])


def test_shop_visitor_chats_gets_an_article_and_an_agent_reply(page, shop, agent, live_server):
    origin = shop["origin"]
    shop["support"].members.add(agent)
    page.goto(f"{origin}/index.html")

    launcher = page.get_by_role("button", name="Chat with us")
    launcher.focus()
    page.keyboard.press("Enter")
    dialog = page.get_by_role("dialog", name="Customer support")
    dialog.wait_for()
    page.get_by_text("What can I help you with?").wait_for()
    assert _active(page).startswith("input#hc-msg")
    # Host styles (pink buttons, serif text) do not reach into the widget.
    send_bg = page.get_by_role("button", name="Send", exact=True).evaluate(
        "b => getComputedStyle(b).backgroundColor"
    )
    assert send_bg == "rgb(29, 78, 216)"

    page.keyboard.type("how do I return my order?")
    page.keyboard.press("Enter")
    article = dialog.get_by_role("link", name="Return policy")
    article.wait_for()
    assert article.get_attribute("target") == "_blank"
    assert article.get_attribute("href").startswith(live_server.url)  # resolved on the desk
    with page.context.expect_page() as new_tab:
        article.click()
    new_tab.value.close()
    conversation = Conversation.objects.get()
    for _ in range(50):
        conversation.refresh_from_db()
        if conversation.articles_opened:
            break
        page.wait_for_timeout(100)
    assert conversation.articles_opened, "articles/opened was not recorded"
    _axe_in_shadow(page)
    save_screenshot(page, "chat-widget-articles")

    dialog.get_by_role("button", name="Talk to a person").click()
    # Open hours: the API answers needs_email and the panel shows an email field. Closed: the
    # bot itself asks for an address in the chat. Either way, nothing promises a live chat.
    email = dialog.get_by_role("textbox", name="Your email address")
    asked = dialog.locator(".m.bot").last
    page.wait_for_function(
        "() => { const r = document.querySelector('[data-helpdesk-chat]').shadowRoot;"
        " return !r.querySelector('#hc-email').closest('form').hidden"
        " || /email address/.test(r.querySelector('.g').lastElementChild.textContent); }"
    )
    if email.is_visible():
        assert _active(page).startswith("input#hc-email")
        save_screenshot(page, "chat-widget-email")
        email.fill("ann@example.com")
        email.press("Enter")
    else:
        assert "email address" in asked.inner_text()
        page.get_by_label("Message").fill("ann@example.com")
        page.keyboard.press("Enter")
    ticket_status = dialog.get_by_role("status")
    ticket_status.get_by_text("Reference").wait_for()
    ticket = Ticket.objects.get()
    assert ticket.reference in ticket_status.inner_text()
    assert ticket.queue == shop["support"]
    save_screenshot(page, "chat-widget-escalated")

    add_message(ticket=ticket, body="Hi Ann, your return label is on its way.", author_user=agent)
    # No slide-in animation for people who ask for less motion (also keeps axe off a fading panel).
    page.emulate_media(reduced_motion="reduce")
    # The widget polls history every ~5 s while open.
    dialog.get_by_text("Hi Ann, your return label is on its way.").wait_for(timeout=15_000)

    # The conversation survives a reload (token in localStorage, history fetched on load).
    page.reload()
    page.get_by_role("button", name="Chat with us").click()
    dialog = page.get_by_role("dialog", name="Customer support")
    dialog.get_by_text("Hi Ann, your return label is on its way.").wait_for()
    assert dialog.evaluate("d => getComputedStyle(d).animationName") == "none"
    assert ticket.reference in dialog.get_by_role("status").inner_text()
    assert "token" not in page.url
    assert Conversation.objects.count() == 1
    _axe_in_shadow(page)
    save_screenshot(page, "chat-widget-after-reload")

    page.keyboard.press("Escape")
    assert not dialog.is_visible()
    assert _active(page).startswith("button#.l")
    assert page.get_by_role("button", name="Chat with us").get_attribute("aria-expanded") == "false"


def test_arabic_page_gets_a_right_to_left_widget(page, shop):
    page.emulate_media(reduced_motion="reduce")
    page.goto(f"{shop['origin']}/ar.html")
    launcher = page.get_by_role("button", name="تحدث معنا")
    launcher.click()
    dialog = page.get_by_role("dialog", name="دعم العملاء")
    dialog.wait_for()
    page.get_by_text("بماذا يمكنني مساعدتك؟").wait_for()
    direction = page.evaluate(
        "() => { const h = document.querySelector('[data-helpdesk-chat]');"
        " return [h.dir, getComputedStyle(h.shadowRoot.querySelector('.p')).direction]; }"
    )
    assert direction == ["rtl", "rtl"]
    # Logical properties: the panel sits at the inline end, i.e. the left edge in RTL.
    box = dialog.bounding_box()
    assert box["x"] < 100
    assert Conversation.objects.get().language == "ar"
    _axe_in_shadow(page)
    save_screenshot(page, "chat-widget-arabic")
    page.keyboard.press("Escape")
    assert _active(page).startswith("button#.l")


def test_chat_with_us_on_a_help_center_page_opens_the_widget(page, live_server, settings):
    from chatbot.models import Widget
    from tests.kb.factories import make_article

    widget = Widget.objects.filter(public_key="demo-shop-key").first()
    if widget is None:
        from chatbot import demo

        demo.load(type("Out", (), {"write": lambda self, *a, **k: None})())
        widget = Widget.objects.get(public_key="demo-shop-key")
    widget.allowed_origins = [live_server.url]
    widget.save(update_fields=["allowed_origins"])
    settings.HELP_CENTER_WIDGET_KEY = "demo-shop-key"
    article = make_article(title="Track your order")
    page.goto(f"{live_server.url}{article.get_absolute_url()}")
    page.get_by_role("link", name="Chat with us").click()
    dialog = page.get_by_role("dialog")
    dialog.wait_for()
    assert dialog.is_visible()
    assert page.url.endswith(article.get_absolute_url())  # stayed on the article
    # The conversation has started on the server (so teardown never races its writes).
    page.get_by_text("What can I help you with?").wait_for()


def test_a_signed_in_shopper_is_recognised_from_the_script_tags_signed_identity(page, shop):
    import hashlib
    import hmac

    from customers.services import get_or_create_contact

    origin = shop["origin"]
    widget = Widget.objects.get(public_key=KEY)
    widget.identity_secret = "host-secret-" + "s" * 20
    widget.save()
    known = get_or_create_contact(email="olivia@example.com", name="Olivia Shopper")
    signature = hmac.new(widget.identity_secret.encode(), b"shop-42\nolivia@example.com",
                         hashlib.sha256).hexdigest()  # fmt: skip
    src = page.context.request.get(f"{origin}/index.html").text()
    tag = f'data-key="{KEY}"'
    signed = (f'{tag} data-user-id="shop-42" data-user-email="olivia@example.com" '
              f'data-user-name="Olivia Shopper" data-user-signature="{signature}"')  # fmt: skip
    forged = signed.replace(signature, "0" * 64).replace("shop-42", "shop-43")
    for name, attributes in (("signed.html", signed), ("forged.html", forged)):
        (shop["directory"] / name).write_text(src.replace(tag, attributes), encoding="utf-8")
    for name in ("signed.html", "forged.html"):
        page.context.clear_cookies()
        page.goto(f"{origin}/{name}")
        page.evaluate("() => localStorage.clear()")
        page.reload()
        page.get_by_role("button", name="Chat with us").click()
        page.get_by_text("What can I help you with?").wait_for()
    signed_chat, forged_chat = Conversation.objects.order_by("pk")
    assert signed_chat.is_identity_verified and signed_chat.contact_id == known.pk
    assert not forged_chat.is_identity_verified and forged_chat.contact_id is None
