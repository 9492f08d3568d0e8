"""Runner invariants: escalation from anywhere, no dead ends, change of mind, quiet handoff."""

from __future__ import annotations

import copy
import json

import pytest

from chatbot.engine import Context, Status, load_bot, respond, start
from chatbot.engine.turn import HANDOFF_PAYLOAD, new_state
from tests.chatbot_engine.conftest import Conversation, quick_labels, quick_payloads, texts

# Turns that leave the demo bot waiting at each kind of step (or idle).
POSITIONS = {
    "idle": [],
    "options": ["hello"],
    "ask_pattern": ["where is my order"],
    "ask_resolved": ["where is my order", "NS-12345"],
    "after_end": ["thanks"],
    "after_resolved": ["return policy", "yes"],
    "after_two_misses": ["blorp", "zzzt"],
}
HUMAN_REQUESTS = {
    "en": "can I talk to a human",
    "fi": "haluan puhua asiakaspalvelijan kanssa",
    "ar": "أريد التحدث مع موظف",
    "zh-hans": "转人工",
}


@pytest.mark.parametrize("position", POSITIONS)
@pytest.mark.parametrize("lang", HUMAN_REQUESTS)
def test_human_request_escalates_when_sent_at_any_step(demo_bot, position, lang) -> None:
    chat = Conversation(demo_bot, lang=lang, context=Context(is_open=lambda: True))
    for turn in POSITIONS[position]:
        chat.say(turn)
    reply = chat.say(HUMAN_REQUESTS[lang])
    assert reply.handoff is True
    assert reply.status == Status.ESCALATED
    assert reply.queue == "support"
    assert reply.messages


def test_human_request_escalates_when_waiting_for_free_text_slot() -> None:
    bot = load_bot(
        {
            "intents": [{"name": "bug", "phrases": ["report a bug"]}],
            "flows": {"bug": {"steps": [
                {"id": "what", "kind": "ask", "slot": "details", "validate": {"kind": "text"},
                 "next": "done"},
                {"id": "done", "kind": "end", "text": "Thanks"}]}},
        }
    )  # fmt: skip
    chat = Conversation(bot)
    chat.say("report a bug")
    reply = chat.say("I'd rather talk to an agent")
    assert reply.handoff is True
    assert "details" not in chat.state["slots"]


def test_handoff_quick_reply_escalates_when_clicked(chat) -> None:
    chat.say("blah")
    offered = chat.say("blah blah")
    assert HANDOFF_PAYLOAD in quick_payloads(offered)
    assert chat.say(HANDOFF_PAYLOAD).handoff is True


def test_direct_handoff_says_out_of_hours_when_closed_and_no_handoff_flow() -> None:
    bot = load_bot({"handoff_queue": "general", "intents": [], "flows": {}})
    context = Context(is_open=lambda: False, next_open_text=lambda lang: "Back Monday 9:00.")
    reply = respond(bot, None, "human please", "en", context)
    assert reply.handoff is True and reply.out_of_hours is True
    assert reply.queue == "general"
    assert "Back Monday 9:00." in texts(reply)


def test_bot_stays_quiet_when_conversation_is_escalated(chat) -> None:
    chat.say("agent")
    for text in ["hello?", "where is my order", "agent", ""]:
        reply = chat.say(text)
        assert reply.messages == []
        assert reply.status == Status.ESCALATED
        assert reply.handoff is False


@pytest.mark.parametrize("lang", ["en", "fi", "ar", "zh-hans"])
def test_options_and_person_are_offered_when_two_messages_miss(demo_bot, lang) -> None:
    chat = Conversation(demo_bot, lang=lang)
    first = chat.say("qwzx")
    assert first.messages and first.matched_intent is None
    second = chat.say("xkcd plugh")
    payloads = quick_payloads(second)
    assert HANDOFF_PAYLOAD in payloads
    assert any(p.startswith("#intent:") for p in payloads)
    third = chat.say("still nonsense")
    assert HANDOFF_PAYLOAD in quick_payloads(third)


def test_suggestions_start_the_intent_when_picked_by_number(chat) -> None:
    chat.say("qwzx")
    offered = chat.say("xkcd")
    first_label = quick_labels(offered)[0]
    reply = chat.say("1")
    assert reply.matched_intent is not None
    assert reply.reason == "quick reply"
    assert first_label


def test_near_miss_intent_is_suggested_first_when_two_messages_miss(chat) -> None:
    chat.say("qwzx")
    offered = chat.say("pswrd")
    assert quick_payloads(offered)[0] == "#intent:password_reset"


def test_misses_reset_when_an_intent_matches(chat) -> None:
    chat.say("qwzx")
    chat.say("where is my order")
    assert chat.state["misses"] == 0


def test_new_intent_starts_when_user_changes_mind_mid_flow(chat) -> None:
    chat.say("I forgot my password")
    reply = chat.say("actually, what is your return policy?")
    assert reply.matched_intent == "return_policy"
    assert reply.flow == "return_policy"


def test_new_intent_starts_when_user_changes_mind_while_slot_is_asked(chat) -> None:
    chat.say("where is my order")
    reply = chat.say("never mind, I forgot my password")
    assert reply.matched_intent == "password_reset"
    assert reply.step == "problem"


def test_slot_wins_when_answer_validates_even_if_it_matches_an_intent() -> None:
    bot = load_bot(
        {
            "intents": [
                {"name": "feedback", "phrases": ["leave feedback"]},
                {"name": "refund", "keywords": {"en": ["refund"]}},
            ],
            "flows": {
                "feedback": {"steps": [
                    {"id": "ask", "kind": "ask", "slot": "comment", "validate": {"kind": "text"},
                     "next": "thanks"},
                    {"id": "thanks", "kind": "end", "text": "Noted: {comment}"}]},
                "refund": {"steps": [{"id": "r", "kind": "end", "text": "Refunds..."}]},
            },
        }
    )  # fmt: skip
    chat = Conversation(bot)
    chat.say("leave feedback")
    reply = chat.say("the refund took too long")
    assert reply.matched_intent is None
    assert "Noted: the refund took too long" in texts(reply)


def test_same_flow_request_is_a_miss_when_already_waiting_in_that_flow(chat) -> None:
    chat.say("where is my order")
    reply = chat.say("track my order")
    assert reply.step == "ask_order_number"
    assert "two letters and five digits" in texts(reply)


def test_did_you_mean_offers_candidates_when_top_two_are_close() -> None:
    bot = load_bot(
        {
            "intents": [
                {"name": "refund", "label": "Refunds", "keywords": {"en": ["refund"]}},
                {"name": "exchange", "label": "Exchanges", "keywords": {"en": ["exchange"]}},
            ],
            "flows": {
                "refund": {"steps": [{"id": "a", "kind": "end", "text": "About refunds"}]},
                "exchange": {"steps": [{"id": "a", "kind": "end", "text": "About exchanges"}]},
            },
        }
    )
    chat = Conversation(bot)
    reply = chat.say("refund or exchange?")
    assert reply.did_you_mean == ["refund", "exchange"]
    assert quick_labels(reply) == ["Refunds", "Exchanges", "Talk to a person"]
    assert texts(chat.say("Exchanges")) == "About exchanges"


def test_greeting_shows_menu_when_session_starts(demo_bot) -> None:
    reply = start(demo_bot, "fi")
    assert reply.messages[0].text.startswith("Hei!")
    assert "Missä tilaukseni on?" in quick_labels(reply)
    assert reply.step == "menu"


def test_builtin_greeting_lists_menu_when_bot_has_no_start_flow(demo_bot) -> None:
    from dataclasses import replace

    reply = start(replace(demo_bot, start_flow=None), "ar")
    assert "نورثويند" in reply.messages[0].text
    assert quick_payloads(reply)[0] == "#intent:order_status"
    assert reply.status == Status.IDLE


def test_state_is_json_and_input_is_untouched_when_responding(chat, demo_bot) -> None:
    chat.say("where is my order")
    before = copy.deepcopy(chat.state)
    reply = respond(demo_bot, chat.state, "NS-12345", "en", chat.context)
    assert chat.state == before
    assert json.loads(json.dumps(reply.state)) == reply.state
    json.dumps(reply.to_dict())


@pytest.mark.parametrize(
    "state",
    [
        None,
        {},
        {"status": "weird", "slots": "not a dict"},
        {"status": "active", "flow": "gone", "step": "nowhere"},
        {"status": "active", "flow": "order_status", "step": "deleted_step"},
    ],
)
def test_runner_recovers_when_stored_state_is_old_or_broken(demo_bot, state) -> None:
    reply = respond(demo_bot, state, "where is my order", "en")
    assert reply.matched_intent == "order_status"
    assert set(new_state()) <= set(reply.state)


def test_broken_definition_offers_a_person_when_message_steps_loop() -> None:
    bot = load_bot(
        {
            "intents": [{"name": "loop", "phrases": ["loop"]}],
            "flows": {"loop": {"steps": [
                {"id": "a", "kind": "message", "text": "a", "next": "b"},
                {"id": "b", "kind": "message", "text": "b", "next": "a"}]}},
        }
    )  # fmt: skip
    reply = respond(bot, None, "loop", "en")
    assert reply.messages[-1].quick_replies[-1].payload == HANDOFF_PAYLOAD
    assert reply.status == Status.IDLE


def test_unknown_language_falls_back_to_default_when_user_lang_is_unsupported(demo_bot) -> None:
    reply = start(demo_bot, "sv")
    assert reply.messages[0].text.startswith("Hi!")
