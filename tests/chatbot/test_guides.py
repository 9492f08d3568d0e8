"""Guided troubleshooters: the demo bot's flows walked as plain pages, by form posts only."""

from __future__ import annotations

import pytest
from django.utils.html import escape

from helpdesk.events import flush_event_buffer
from helpdesk.models import Event

pytestmark = pytest.mark.django_db

RESET = "/en/guides/password-reset/"
ORDER = "/en/guides/order-status/"


def _kinds() -> list[str]:
    flush_event_buffer()
    return list(
        Event.objects.filter(kind__startswith="guide.")
        .order_by("occurred_at", "id")
        .values_list("kind", flat=True)
    )


def _page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def _answer(client, url: str, **data: str) -> str:
    """Post like a browser without JavaScript: follow the redirect to the next step."""
    response = client.post(url, data)
    assert response.status_code == 302 and response["Location"] == url
    return _page(client, url)


@pytest.mark.parametrize(
    ("lang", "title", "question"),
    [
        ("en", "I can't log in", "What went wrong?"),
        ("fi", "En pääse kirjautumaan", "Mikä meni vikaan?"),
        ("ar", "لا أستطيع تسجيل الدخول", "ما المشكلة التي واجهتك؟"),
        ("zh-hans", "无法登录", "遇到了什么问题？"),
    ],
)
def test_list_and_step_pages_render_in_every_language(client, widget, lang, title, question):
    listing = _page(client, f"/{lang}/guides/")
    assert f'href="/{lang}/guides/password-reset/"' in listing
    assert f'href="/{lang}/guides/order-status/"' in listing
    assert "/guides/greeting/" not in listing and "/guides/talk-to-person/" not in listing
    step = _page(client, f"/{lang}/guides/password-reset/")
    assert f'<html lang="{lang}"' in step
    assert escape(title) in step and escape(question) in step
    assert "<fieldset" in step and "<legend>" in step and 'name="csrfmiddlewaretoken"' in step
    assert 'name="answer" value="#option:0"' in step
    assert f'href="/{lang}/guides/password-reset/contact"' in step


def test_arabic_pages_are_right_to_left(client, widget):
    assert 'dir="rtl"' in _page(client, "/ar/guides/password-reset/")


def test_walk_password_reset_to_solved_with_plain_posts(client, widget):
    page = _page(client, RESET)
    assert "I didn&#x27;t get the email" in page and "Step 1" in page
    page = _answer(client, RESET, answer="#option:0")
    assert "check your spam or junk folder" in page
    assert "Did this solve your problem?" in page and 'value="#yes"' in page and "Step 2" in page
    page = _answer(client, RESET, answer="#yes")
    assert 'role="status"' in page and "Glad that solved it!" in page
    assert 'name="answer"' not in page
    assert _kinds() == ["guide.started", "guide.step", "guide.step", "guide.completed"]
    completed = Event.objects.get(kind="guide.completed")
    assert completed.data == {"guide": "password-reset", "outcome": "solved", "step": "helped"}
    steps = Event.objects.filter(kind="guide.step").order_by("occurred_at")
    assert [e.data["step"] for e in steps] == ["helped", ""]
    assert all(e.visitor_id and e.session_id for e in Event.objects.all())


def test_not_solved_ends_with_the_contact_options(client, widget):
    _page(client, RESET)
    _answer(client, RESET, answer="#option:1")
    page = _answer(client, RESET, answer="#no")
    assert "get you to a person" in page
    assert "Still need help?" in page and 'href="/en/contact/"' in page
    assert "connecting you" not in page  # the chat's handoff text makes no sense on a page
    completed = Event.objects.get(kind="guide.completed")
    assert completed.data["outcome"] == "contact"


def test_invalid_slot_answer_shows_the_error_and_keeps_the_step(client, widget):
    page = _page(client, ORDER)
    assert '<label for="guide-answer">' in page and "What&#x27;s your order number?" in page
    response = client.post(ORDER, {"text": "hello"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "doesn&#x27;t look like an order number" in page
    assert 'aria-invalid="true"' in page and 'value="hello"' in page and "Step 1" in page
    page = _answer(client, ORDER, text="ns-12345")
    assert "Order NS-12345 has left our warehouse" in page and "Step 2" in page


def test_unoffered_payload_is_refused(client, widget):
    _page(client, RESET)
    response = client.post(RESET, {"answer": "#option:9"})
    assert response.status_code == 200
    assert "Please choose one of the options." in response.content.decode()


def test_back_undoes_the_last_answer(client, widget):
    _page(client, RESET)
    _answer(client, RESET, answer="#option:1")
    response = client.post(f"{RESET}back")
    assert response.status_code == 302
    page = _page(client, RESET)
    assert "What went wrong?" in page and "Step 1" in page


def test_restart_abandons_the_walk_and_starts_again(client, widget):
    _page(client, RESET)
    _answer(client, RESET, answer="#option:0")
    response = client.post(f"{RESET}restart")
    assert response.status_code == 302 and response["Location"] == RESET
    page = _page(client, RESET)
    assert "What went wrong?" in page
    assert _kinds() == ["guide.started", "guide.step", "guide.abandoned", "guide.started"]
    abandoned = Event.objects.get(kind="guide.abandoned")
    assert abandoned.data == {"guide": "password-reset", "step": "helped", "answers": 1}


def test_starting_another_guide_abandons_the_unfinished_one(client, widget):
    _page(client, RESET)
    _page(client, ORDER)
    _page(client, ORDER)  # coming back to the same guide is not a new start
    assert _kinds() == ["guide.started", "guide.abandoned", "guide.started"]


def test_talk_to_a_person_completes_with_contact_and_opens_the_form(client, widget):
    _page(client, RESET)
    response = client.get(f"{RESET}contact")
    assert response.status_code == 302 and response["Location"] == "/en/contact/"
    assert Event.objects.get(kind="guide.completed").data["outcome"] == "contact"


def test_unknown_guide_is_not_found(client, widget):
    assert client.get("/en/guides/no-such-guide/").status_code == 404
    assert client.post("/en/guides/no-such-guide/restart").status_code == 404


def test_no_widget_means_an_empty_list_and_no_guides(client, db):
    assert "There are no guides yet." in _page(client, "/en/guides/")
    assert client.get(RESET).status_code == 404


def test_switching_language_mid_guide_shows_the_same_step_translated(client, widget):
    _page(client, RESET)
    _answer(client, RESET, answer="#option:0")
    page = _page(client, "/fi/guides/password-reset/")
    assert "Tarkista roskapostikansio" in page and "Ratkesiko ongelmasi?" in page
