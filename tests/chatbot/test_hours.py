"""Business hours: outside them, or with nobody in the handoff queue, the bot says when a person
will answer and collects an email instead of promising a chat."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from unittest import mock

import pytest
import yaml
from django.core.exceptions import ValidationError

from chatbot import bots
from chatbot.admin import WidgetForm
from chatbot.models import Conversation, Widget
from tickets.models import Ticket

# Helsinki is UTC+2 in winter (EET) and UTC+3 in summer (EEST, from 31 March 2024 03:00).
SATURDAY_NOON = datetime(2024, 3, 2, 10, 0, tzinfo=UTC)  # 12:00 EET
MONDAY_NOON = datetime(2024, 3, 4, 10, 0, tzinfo=UTC)  # 12:00 EET
NEXT_OPEN = "08:00 (Europe/Helsinki)"


@pytest.fixture
def team_always_available():
    """Overrides the conftest pin: these tests judge hours and agents for real."""


@pytest.fixture
def staffed(queues, agent):
    """An active agent in the demo bot's handoff queue (support)."""
    queues["support"].members.add(agent)
    return agent


def at(instant: datetime):
    return mock.patch.object(bots, "now", lambda: instant)


def available(widget) -> bool:
    return bots.team_available(widget, bots.bot_for(widget))


# --- the clock --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("instant", "expected"),
    [
        (MONDAY_NOON, True),
        (SATURDAY_NOON, False),
        (datetime(2024, 3, 4, 5, 59, tzinfo=UTC), False),  # 07:59 EET
        (datetime(2024, 3, 4, 6, 0, tzinfo=UTC), True),  # 08:00 EET
        (datetime(2024, 3, 4, 16, 0, tzinfo=UTC), False),  # 18:00 EET, closing is exclusive
    ],
)
def test_open_follows_helsinki_office_hours_when_agents_staff_the_queue(
    widget, staffed, instant, expected
):
    with at(instant):
        assert available(widget) is expected


def test_opening_moves_an_hour_earlier_in_utc_across_the_spring_dst_change(widget, staffed):
    # 05:30 UTC is 07:30 EET on Friday 29 March but 08:30 EEST on Monday 1 April.
    with at(datetime(2024, 3, 29, 5, 30, tzinfo=UTC)):
        assert not available(widget)
    with at(datetime(2024, 4, 1, 5, 30, tzinfo=UTC)):
        assert available(widget)
    with at(datetime(2024, 4, 1, 4, 59, tzinfo=UTC)):  # 07:59 EEST
        assert not available(widget)
        assert bots.next_open_text(widget, "en").endswith("Monday 08:00 (Europe/Helsinki).")


def test_holiday_is_closed_all_day_and_next_opening_skips_it(widget, staffed):
    widget.holidays = ["2024-12-06"]  # Finnish Independence Day, a Friday
    widget.save()
    with at(datetime(2024, 12, 6, 10, 0, tzinfo=UTC)):
        assert not available(widget)
        assert "Monday 08:00" in bots.next_open_text(widget, "en")
    with at(datetime(2024, 12, 5, 10, 0, tzinfo=UTC)):
        assert available(widget)


def test_calendar_is_rebuilt_after_the_widget_is_saved(widget, staffed):
    with at(SATURDAY_NOON):
        assert not available(widget)
        widget.business_hours = {**widget.business_hours, "5": [["10:00", "14:00"]]}
        widget.save()
        assert available(widget)


def test_widget_without_hours_is_always_open_and_has_no_next_open_text(widget, staffed):
    widget.business_hours = {}
    widget.save()
    with at(SATURDAY_NOON):
        assert available(widget)
        assert bots.next_open_text(widget, "en") == ""


def test_unusable_saved_hours_keep_the_chat_reachable(widget, staffed):
    Widget.objects.filter(pk=widget.pk).update(time_zone="Mars/Olympus")
    widget.refresh_from_db()
    with at(SATURDAY_NOON):
        assert available(widget)


# --- no agent available -----------------------------------------------------------------------


def test_open_hours_without_an_agent_in_the_queue_count_as_closed(widget, queues):
    with at(MONDAY_NOON):
        assert not available(widget)
        assert bots.next_open_text(widget, "en") == ""  # nobody knows when someone is free


def test_inactive_or_customer_members_do_not_staff_the_queue(widget, queues, make_user):
    queues["support"].members.add(
        make_user(role="agent", is_active=False), make_user(role="customer")
    )
    with at(MONDAY_NOON):
        assert not available(widget)


def test_agent_rule_is_ignored_when_the_handoff_queue_does_not_exist(widget):
    with at(MONDAY_NOON):
        assert available(widget)


# --- when a person will answer, in the customer's language ------------------------------------


@pytest.mark.parametrize(
    ("lang", "weekday"),
    [("en", "Monday"), ("fi", "maanantai"), ("ar", "الاثنين"), ("zh-hans", "星期一")],
)
def test_next_open_text_names_the_weekday_in_the_customers_language(widget, lang, weekday):
    with at(SATURDAY_NOON):
        text = bots.next_open_text(widget, lang)
    # Punctuation around the zone is the translation's (full-width brackets in Chinese).
    assert weekday in text and "08:00" in text and "Europe/Helsinki" in text


def test_next_open_text_sentence_has_translations_for_every_widget_language():
    strings = yaml.safe_load(
        (Path(__file__).parents[2] / "locale/strings/chatbot_hours.yml").read_text("utf-8")
    )
    entry = strings["A person will answer from %(when)s (%(zone)s)."]
    assert set(entry) == {"fi", "ar", "zh_Hans"}
    assert all("%(when)s" in text and "%(zone)s" in text for text in entry.values())


# --- the widget API ---------------------------------------------------------------------------


def test_closed_reply_says_when_a_person_answers_and_collects_an_email(chat, staffed):
    with at(SATURDAY_NOON):
        chat.start()
        body = chat.send("contact support")
        said = " ".join(m["text"] for m in body["messages"][1:])
        assert "offline" in said and f"Monday {NEXT_OPEN}" in said and "email" in said
        assert "connecting you" not in said
        # The bot asks for the address itself (an email step), so the widget shows no form.
        assert body["needs_email"] is False and body["ticket_reference"] is None
        conversation = Conversation.objects.get(public_id=chat.started["conversation_id"])
        assert conversation.state["step"] == "ask_email"
        body = chat.send("ann@example.com")
    said = " ".join(m["text"] for m in body["messages"][1:])
    assert "ann@example.com" in said and "connecting you" not in said
    assert body["ticket_reference"] == Ticket.objects.get().reference
    assert Ticket.objects.get().queue.slug == "support"


def test_closed_reply_is_in_the_customers_language(chat, staffed):
    with at(SATURDAY_NOON):
        chat.start(lang="fi")
        body = chat.send("Puhu ihmisen kanssa")
    said = " ".join(m["text"] for m in body["messages"][1:])
    assert "ei ole nyt paikalla" in said and f"maanantai {NEXT_OPEN}" in said
    assert "Yhdistän sinut" not in said


def test_open_hours_with_no_agent_collect_an_email_instead_of_connecting(chat, queues):
    with at(MONDAY_NOON):
        chat.start()
        body = chat.send("contact support")
    said = " ".join(m["text"] for m in body["messages"][1:])
    assert "offline" in said and "email" in said and "connecting you" not in said


def test_open_hours_with_an_agent_connect_as_before(chat, staffed):
    with at(MONDAY_NOON):
        chat.start()
        body = chat.send("contact support")
    said = " ".join(m["text"] for m in body["messages"][1:])
    assert "connecting you" in said and body["needs_email"] is True


# --- validation -------------------------------------------------------------------------------


def _errors(**fields) -> dict[str, list[str]]:
    widget = Widget(name="W", **fields)
    with pytest.raises(ValidationError) as caught:
        widget.clean()
    return caught.value.message_dict


@pytest.mark.parametrize(
    ("fields", "field", "fragment"),
    [
        ({"time_zone": "Europe/Helsinkii"}, "time_zone", "Unknown time zone"),
        ({"time_zone": ""}, "time_zone", "IANA"),
        ({"business_hours": {"0": [["8:00am", "18:00"]]}}, "business_hours", "HH:MM"),
        ({"business_hours": {"0": [["25:00", "26:00"]]}}, "business_hours", "not a time"),
        ({"business_hours": {"0": [["18:00", "08:00"]]}}, "business_hours", "end after"),
        ({"business_hours": {"7": [["08:00", "18:00"]]}}, "business_hours", "Unknown weekday"),
        ({"business_hours": {"0": "08:00-18:00"}}, "business_hours", "intervals"),
        ({"business_hours": [["08:00", "18:00"]]}, "business_hours", "weekday"),
        ({"business_hours": {"0": []}}, "business_hours", "at least one"),
        ({"holidays": ["06.12.2024"]}, "holidays", "ISO date"),
        ({"holidays": "2024-12-06"}, "holidays", "list of ISO dates"),
    ],
)
def test_clean_names_the_bad_field(fields, field, fragment):
    errors = _errors(**fields)
    assert fragment in " ".join(errors[field]), errors


def test_clean_accepts_hours_overnight_split_and_holidays():
    Widget(
        name="W", time_zone="Asia/Shanghai", holidays=["2024-10-01"],
        business_hours={"0": [["09:00", "12:00"], ["13:00", "24:00"]], "1": [["00:00", "02:00"]]},
    ).clean()  # fmt: skip


def test_admin_form_refuses_bad_hours_with_a_clear_error(widget):
    data = {
        "name": widget.name, "public_key": widget.public_key,
        "identity_secret": widget.identity_secret, "allowed_origins": "[]",
        "default_language": "en", "is_active": "on", "time_zone": "Nowhere/City",
        "business_hours": '{"0": [["09:00", "8:00"]]}', "holidays": '["2024-13-01"]',
        "bot": widget.bot_id,
    }  # fmt: skip
    form = WidgetForm(data, instance=widget)
    assert not form.is_valid()
    assert "Unknown time zone" in form.errors["time_zone"][0]
    assert "must end after it starts" in form.errors["business_hours"][0]
    assert "ISO date" in form.errors["holidays"][0]


def test_admin_change_page_shows_the_hours_fields(admin_user, client, widget):
    client.force_login(admin_user)
    page = client.get(f"/admin/chatbot/widget/{widget.pk}/change/").content.decode()
    assert 'name="business_hours"' in page and "Europe/Helsinki" in page
