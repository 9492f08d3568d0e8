"""The structured conversation panel on the desk's ticket page: facts, transcript, safety, cost."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from chatbot import bots
from chatbot.engine import ArticleRef
from chatbot.models import Conversation
from customers.services import get_or_create_contact
from tests.tickets.factories import make_ticket
from tickets.models import Ticket

XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'
ARTICLES = [ArticleRef("21", "Returning an item", "/kb/21/"), ArticleRef("22", "Refund times")]


@pytest.fixture
def desk(client, agent, queues):
    for queue in queues.values():
        queue.members.add(agent)
    client.force_login(agent)
    return client


@pytest.fixture
def escalated(chat, monkeypatch) -> Ticket:
    """A chat: returns articles (one opened), 'no, not solved', an order number, then a person."""
    monkeypatch.setattr(bots, "search_articles", lambda q, lang: ARTICLES)
    chat.start(lang="fi", page_url="https://shop.example/returns?x=1",
               referrer="javascript:alert(1)")  # fmt: skip
    chat.send("miten palautan tilauksen")
    chat.post("articles/opened", {"article_id": "21"})
    chat.send("ei")
    chat.send(XSS)
    response = chat.escalate(email="ann@example.com")
    assert response.status_code == 201, response.content
    return Ticket.objects.get()


def _panel(html: str) -> str:
    start = html.index('aria-labelledby="chat-panel-heading"')
    return html[start : html.index("</section>", start)]


def test_panel_shows_facts_slots_articles_and_the_transcript(desk, escalated):
    panel = _panel(desk.get(f"/desk/tickets/{escalated.pk}/").content.decode())
    assert "https://shop.example/returns?x=1" in panel
    assert "suomi" in panel.lower() or "finnish" in panel.lower()
    assert "Not verified" in panel
    assert "Returning an item" in panel and "Refund times" in panel
    assert panel.count(">opened<") == 1 and panel.count(">not opened<") == 1
    assert "Did this solve it?</strong>\n    No" in panel
    assert '<details class="chat-transcript">' in panel and "<summary>Transcript (" in panel
    assert "miten palautan tilauksen" in panel
    assert "Bot understood: return_policy" in panel  # intent and score, collapsed
    assert "<dt>email</dt>" not in panel  # slots come from the bot's own questions only


def test_panel_escapes_what_the_visitor_wrote(desk, escalated):
    panel = _panel(desk.get(f"/desk/tickets/{escalated.pk}/").content.decode())
    assert XSS not in panel and "<img src=x" not in panel
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in panel
    # A referrer that is not an http(s) URL is shown as text, never as a link.
    assert 'href="javascript:' not in panel and "javascript:alert(1)" in panel


def test_panel_lists_collected_slots_and_a_verified_identity(desk, chat, widget):
    from tests.chatbot.helpers import sign

    identity = {"user_id": "u-9", "email": "vera@example.com",
                "signature": sign(widget.identity_secret, "u-9", "vera@example.com")}  # fmt: skip
    chat.start(lang="en", identity=identity)
    chat.send("where is my order")
    chat.send("ns-12345")
    chat.send("no")
    ticket = Ticket.objects.get()
    panel = _panel(desk.get(f"/desk/tickets/{ticket.pk}/").content.decode())
    assert '<dt>order_number</dt><dd dir="auto">NS-12345</dd>' in panel
    assert "Verified by the website" in panel and "u-9" in panel


def test_panel_costs_two_queries_whatever_the_length_of_the_chat(desk, chat, monkeypatch, settings):
    settings.RATELIMIT_ENABLE = False
    monkeypatch.setattr(bots, "search_articles", lambda q, lang: ARTICLES)
    plain = make_ticket(subject="By email", queue=None)
    chat.start(lang="en")
    chat.send("hello")
    chat.escalate(email="ann@example.com")
    ticket = Ticket.objects.get(channel="widget")
    assert _chat_queries(desk, plain) == []  # other channels: not even a lookup
    short = _chat_queries(desk, ticket)
    for i in range(30):
        chat.send(f"more detail {i}")
    assert len(short) == len(_chat_queries(desk, ticket)) == 2, short
    assert len(_chat_queries(desk, ticket, every=True)) <= 12  # the whole page's budget


def _chat_queries(client, ticket, every: bool = False) -> list[str]:
    """The page's queries that read chatbot tables (other panels have their own budgets)."""
    with CaptureQueriesContext(connection) as captured:
        assert client.get(f"/desk/tickets/{ticket.pk}/").status_code == 200
    sqls = [q["sql"] for q in captured.captured_queries]
    return sqls if every else [sql for sql in sqls if '"chatbot_' in sql]


def test_no_panel_for_a_ticket_that_did_not_come_from_a_chat(desk):
    ticket = make_ticket(subject="From the contact form")
    html = desk.get(f"/desk/tickets/{ticket.pk}/").content.decode()
    assert "chat-panel-heading" not in html


def test_the_customer_never_sees_the_panel(client, customer, escalated):
    contact = get_or_create_contact(email="ann@example.com")
    contact.user = customer
    contact.save(update_fields=["user"])
    client.force_login(customer)
    portal = client.get(f"/en/portal/tickets/{escalated.pk}/")
    assert portal.status_code == 200
    html = portal.content.decode()
    assert "chat-panel-heading" not in html and "Bot understood" not in html
    assert client.get(f"/desk/tickets/{escalated.pk}/").status_code in (302, 403, 404)
    assert Conversation.objects.get().ticket_id == escalated.pk
