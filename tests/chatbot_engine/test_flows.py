"""Flow steps: slots, options, articles, resolved yes/no and business-hours branches."""

from __future__ import annotations

import pytest

from chatbot.engine import Context, Status, load_bot
from chatbot.engine.flow import SlotCheck, SlotKind, check_slot, choose_option, ordinal, yes_or_no
from tests.chatbot_engine.conftest import Conversation, FakeSearch, quick_labels, texts

ORDER_PATTERN = SlotCheck(SlotKind.PATTERN, pattern=r"^[A-Z]{2}-?\d{5}$", transform="upper")


@pytest.mark.parametrize(
    ("answer", "value"),
    [("NS-12345", "NS-12345"), ("ns12345", "NS12345"), ("it's NS-12345.", "NS-12345")],
)
def test_pattern_slot_accepts_when_answer_contains_a_valid_value(answer: str, value: str) -> None:
    assert check_slot(ORDER_PATTERN, answer) == value


@pytest.mark.parametrize("answer", ["12345", "NS-1234", "NSX-12345", "", "where is it"])
def test_pattern_slot_rejects_when_answer_is_invalid(answer: str) -> None:
    assert check_slot(ORDER_PATTERN, answer) is None


def test_email_slot_extracts_address_when_answer_has_surrounding_words() -> None:
    check = SlotCheck(SlotKind.EMAIL)
    assert check_slot(check, "sure, it's anna@example.com.") == "anna@example.com"
    assert check_slot(check, "anna at example dot com") is None


def test_ordinal_reads_numbers_and_words_when_user_picks_by_position() -> None:
    assert [ordinal(t) for t in ["2", "#3", "1.", "٢", "second", "toinen", "第二", "الثاني"]] == [
        2, 3, 1, 2, 2, 2, 2, 2,
    ]  # fmt: skip
    assert ordinal("hello") is None


@pytest.mark.parametrize(
    ("answer", "expected"),
    [("yes", True), ("Yes, thanks!", True), ("kyllä", True), ("نعم", True), ("是的", True),
     ("no", False), ("not really", False), ("ei", False), ("لا", False), ("没有", False),
     ("不是", False), ("maybe", None)],
)  # fmt: skip
def test_yes_or_no_reads_answer_when_in_any_language(answer: str, expected: bool | None) -> None:
    assert yes_or_no(answer) is expected


def test_invalid_then_valid_slot_continues_the_flow_when_order_number_is_fixed(chat) -> None:
    chat.say("where is my order")
    bad = chat.say("my order is 12345")
    assert "two letters and five digits" in texts(bad)
    assert bad.step == "ask_order_number" and chat.state["tries"] == 1
    good = chat.say("ns-54321")
    assert "Order NS-54321 has left our warehouse" in texts(good)
    assert good.step == "helped"
    assert chat.state["slots"]["order_number"] == "NS-54321"
    assert chat.state["tries"] == 0


def test_person_is_offered_when_slot_stays_invalid_for_max_tries(chat) -> None:
    chat.say("where is my order")
    chat.say("abc")
    chat.say("def")
    third = chat.say("ghi")
    assert "talk to a person" in texts(third).lower()
    assert quick_labels(third) == ["Talk to a person"]
    picked = chat.say("1")
    assert picked.handoff is True
    assert picked.status == Status.ESCALATED


def test_slot_is_skipped_when_first_message_already_contains_it(chat) -> None:
    reply = chat.say("where is my order AB-11111")
    assert "Order AB-11111 has left" in texts(reply)
    assert reply.step == "helped"


@pytest.mark.parametrize(
    "answer", ["1", "I didn't get the email", "didnt get the emial", "no email"]
)
def test_option_is_chosen_when_picked_by_number_label_typo_or_alias(chat, answer: str) -> None:
    chat.say("I forgot my password")
    reply = chat.say(answer)
    assert "spam" in texts(reply)
    assert reply.reason.startswith("option ")


def test_option_is_chosen_when_label_is_in_users_language(demo_bot) -> None:
    chat = Conversation(demo_bot, lang="fi")
    chat.say("unohdin salasanani")
    reply = chat.say("linkki vanheni")
    assert "tunnin" in texts(reply)
    zh = Conversation(demo_bot, lang="zh-hans")
    zh.say("忘记密码")
    assert "垃圾邮件" in texts(zh.say("没有收到邮件"))


def test_options_are_shown_again_when_answer_matches_no_option(chat) -> None:
    chat.say("I forgot my password")
    reply = chat.say("purple elephant")
    assert reply.step == "problem"
    assert "I didn't get the email" in quick_labels(reply)
    assert "Talk to a person" not in quick_labels(reply)
    again = chat.say("green giraffe")
    assert "Talk to a person" in quick_labels(again)


def test_articles_come_from_injected_search_when_flow_shows_articles(chat, search) -> None:
    reply = chat.say("what is your return policy")
    cards = [a for m in reply.messages for a in m.articles]
    assert [a.id for a in cards] == ["kb-1", "kb-2", "kb-3"]
    assert search.queries == [("return policy", "en")]
    assert chat.state["articles"] == ["kb-1", "kb-2", "kb-3"]
    assert reply.messages[-1].text == "Did this solve your problem?"


def test_fallback_text_is_shown_when_search_finds_nothing_or_fails(demo_bot) -> None:
    empty = Conversation(demo_bot, context=Context(search=FakeSearch({})))
    assert "30 days" in texts(empty.say("return policy"))

    def broken(query: str, lang: str) -> list:
        raise RuntimeError("index down")

    failing = Conversation(demo_bot, context=Context(search=broken))
    assert "30 days" in texts(failing.say("return policy"))


def test_search_gets_query_in_users_language_when_flow_is_translated(demo_bot) -> None:
    search = FakeSearch()
    chat = Conversation(demo_bot, lang="ar", context=Context(search=search))
    chat.say("سياسة الإرجاع")
    assert search.queries == [("سياسة الإرجاع", "ar")]


def test_resolved_when_user_says_yes(chat) -> None:
    chat.say("return policy")
    reply = chat.say("yes, thanks")
    assert reply.resolved is True
    assert reply.status == Status.IDLE
    assert "glad" in texts(reply)


def test_handoff_when_user_says_not_resolved(chat) -> None:
    chat.say("return policy")
    reply = chat.say("no")
    assert reply.resolved is False
    assert reply.handoff is True
    assert reply.queue == "support"


def test_hours_branch_hands_off_when_team_is_open(demo_bot) -> None:
    chat = Conversation(demo_bot, context=Context(is_open=lambda: True))
    reply = chat.say("I want to talk to a person")
    assert reply.handoff is True and reply.out_of_hours is False
    assert reply.step == "connect"


def test_hours_branch_collects_email_when_team_is_closed(demo_bot) -> None:
    clock = {"open": False}
    context = Context(is_open=lambda: clock["open"], next_open_text=lambda lang: "Back at 9.")
    chat = Conversation(demo_bot, context=context)
    closed = chat.say("talk to someone")
    assert closed.out_of_hours is True and closed.handoff is False
    assert "Back at 9." in texts(closed)
    assert "That doesn't look like an email" in texts(chat.say("tomorrow"))
    done = chat.say("anna@example.com")
    assert done.handoff is True
    assert "anna@example.com" in texts(done)
    assert chat.state["slots"]["email"] == "anna@example.com"


def test_slot_branch_follows_case_when_value_matches() -> None:
    bot = load_bot(
        {
            "intents": [{"name": "plan", "phrases": {"en": ["my plan"]}}],
            "flows": {
                "plan": {
                    "steps": [
                        {"id": "ask", "kind": "ask", "slot": "tier", "next": "route",
                         "validate": {"kind": "choice", "choices": [
                             {"label": "Free", "value": "free"},
                             {"label": "Pro", "value": "pro"}]}},
                        {"id": "route", "kind": "branch", "slot": "tier",
                         "cases": {"pro": "vip"}, "default": "std"},
                        {"id": "vip", "kind": "handoff", "queue": "priority"},
                        {"id": "std", "kind": "end", "text": "See our free guide."},
                    ]
                }
            },
        }
    )  # fmt: skip
    pro = Conversation(bot)
    assert quick_labels(pro.say("my plan")) == ["Free", "Pro"]
    reply = pro.say("2")
    assert reply.handoff is True and reply.queue == "priority"
    free = Conversation(bot)
    free.say("my plan")
    assert "free guide" in texts(free.say("free"))


def test_texts_fall_back_to_default_language_when_translation_is_missing() -> None:
    bot = load_bot(
        {
            "default_language": "en",
            "languages": ["en", "fi"],
            "intents": [{"name": "hi", "phrases": ["hello"]}],
            "flows": {"hi": {"steps": [{"id": "a", "kind": "end", "text": "Welcome!"}]}},
        }
    )
    assert texts(Conversation(bot, lang="fi").say("hello")) == "Welcome!"


def test_choose_option_returns_none_when_number_is_out_of_range(demo_bot) -> None:
    options = demo_bot.flows["password_reset"].steps["problem"].options
    assert choose_option(options, "7") is None
    assert choose_option(options, "3") == 2
