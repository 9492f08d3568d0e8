"""The template helpers that replace slower Django built-ins write exactly what those wrote."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.template import Context, Template
from django.utils import timezone, translation
from django.utils.timesince import timesince, timeuntil

from helpdesk.templatetags.helpdesk_tags import isotime, since, time_between
from tickets.models import Channel, Priority, Status, Ticket
from tickets.templatetags.desk_tags import sla_countdown

LANGUAGES = ["en", "fi", "ar", "zh-hans"]
DELTAS = [timedelta(seconds=30), timedelta(minutes=1), timedelta(minutes=5), timedelta(hours=1),
          timedelta(hours=2, minutes=3), timedelta(days=1), timedelta(days=3, hours=4),
          timedelta(days=11), timedelta(days=45), timedelta(days=400)]  # fmt: skip


@pytest.mark.parametrize("language", LANGUAGES)
def test_time_between_words_it_as_timesince_and_timeuntil(language):
    now = timezone.now()
    with translation.override(language):
        for delta in DELTAS:
            assert time_between(now - delta, now) == timesince(now - delta, now)
            assert since(now - delta, now) == timesince(now - delta, now)
            assert time_between(now + delta, now, until=True) == timeuntil(now + delta, now)
    assert since(None) == ""


@pytest.mark.parametrize("language", LANGUAGES)
def test_sla_countdown_matches_the_template_it_replaced(language):
    old = Template(
        '{% load i18n %}{% if due %}<time class="sla-countdown{% if breached %} sla-breached'
        '{% endif %}" datetime="{{ due|date:\'c\' }}" title="{{ due|date:\'DATETIME_FORMAT\' }}"'
        " data-sla-due=\"{{ due|date:'U' }}\">{% if breached %}{% blocktranslate with "
        "ago=due|timesince:now %}overdue by {{ ago }}{% endblocktranslate %}{% else %}"
        "{% blocktranslate with left=due|timeuntil:now %}due in {{ left }}{% endblocktranslate %}"
        '{% endif %}</time>{% else %}<span class="muted">—</span>{% endif %}'
    )
    now = timezone.now()
    with translation.override(language):
        for due, breached in [(now + timedelta(hours=3), False), (now - timedelta(days=2), True),
                              (None, False)]:  # fmt: skip
            expected = old.render(Context({"due": due, "breached": breached, "now": now}))
            assert sla_countdown(due, breached, now) == expected


def test_isotime_is_what_the_date_filter_writes():
    value = timezone.now()
    assert isotime(value) == Template("{{ v|date:'c' }}").render(Context({"v": value}))
    assert isotime(None) == ""


@pytest.mark.parametrize("language", LANGUAGES)
def test_ticket_labels_are_djangos(language):
    with translation.override(language):
        for status in Status.values:
            ticket = Ticket(status=status, priority=Priority.HIGH, channel=Channel.EMAIL)
            assert ticket.get_status_display() == ticket._get_FIELD_display(
                Ticket._meta.get_field("status")
            )
            for name in ("priority", "channel"):
                assert getattr(ticket, f"get_{name}_display")() == ticket._get_FIELD_display(
                    Ticket._meta.get_field(name)
                )
        assert Ticket(status="unknown").get_status_display() == "unknown"
