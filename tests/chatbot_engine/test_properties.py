"""Property tests: whatever the user types, the runner answers or has escalated, never raises."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chatbot.engine import Context, Status, respond, start
from chatbot.engine.demo import load_demo_bot
from chatbot.engine.matcher import match
from tests.chatbot_engine.conftest import FakeSearch

BOT = load_demo_bot()
LANGS = st.sampled_from(["en", "fi", "ar", "zh-hans", "sv", ""])
# Mix random unicode with fragments the bot reacts to, so runs reach deep into the flows.
FRAGMENTS = st.sampled_from(
    ["where is my order", "NS-12345", "1", "2", "3", "yes", "no", "return policy", "password",
     "agent", "#handoff", "#option:9", "#intent:ghost", "#yes", "订单", "أين طلبي", "hei",
     "a@b.co", "thanks", "  ", "(", "\\d{5}", "{order_number}"]
)  # fmt: skip
USER_TEXT = st.one_of(st.text(max_size=60), FRAGMENTS)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(turns=st.lists(USER_TEXT, min_size=1, max_size=8), lang=LANGS, is_open=st.booleans())
def test_runner_answers_or_escalates_when_user_types_anything(turns, lang, is_open) -> None:
    context = Context(search=FakeSearch(), is_open=lambda: is_open)
    reply = start(BOT, lang, context)
    state = reply.state
    for text in turns:
        reply = respond(BOT, state, text, lang, context)
        assert reply.messages or reply.status == Status.ESCALATED
        assert all(m.text for m in reply.messages)
        json.dumps(reply.to_dict())
        state = reply.state


@settings(max_examples=200, deadline=None)
@given(text=st.text(max_size=80), lang=LANGS)
def test_scores_stay_in_unit_interval_when_text_is_random(text, lang) -> None:
    found = match(BOT.intents, text, lang or "en")
    assert all(0.0 <= m.score <= 1.0 and m.reason for m in found)
    assert [m.score for m in found] == sorted((m.score for m in found), reverse=True)
