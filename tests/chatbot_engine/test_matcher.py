"""Intent matching: languages, typos, regexes, synonyms, scores, reasons, ambiguity, handoff."""

from __future__ import annotations

import pytest

from chatbot.engine import AMBIGUOUS_MARGIN, Intent, detect_handoff, match
from chatbot.engine.matcher import FUZZY_MAX, is_ambiguous

REFUND = Intent(
    "refund",
    phrases={"en": ["i want my money back"]},
    keywords={"en": ["refund"], "fi": ["hyvity*"]},
)
RETURN = Intent(
    "return",
    phrases={"en": ["return my order"], "fi": ["palauta tilaus"]},
    keywords={"en": ["return*"]},
)
ORDER = Intent(
    "order_status",
    phrases={"en": ["track my order"], "zh-hans": ["我的订单在哪"], "ar": ["اين طلبي"]},
    keywords={"en": ["where order"], "zh-hans": ["订单"], "ar": ["طلب"], "fi": ["tilau*"]},
    patterns={"*": [r"\b(?P<order_number>[A-Z]{2}-?\d{5})\b"]},
)
PASSWORD = Intent(
    "password",
    keywords={"en": ["password"]},
    synonyms={"en": {"pwd": "password", "pass word": "password"}},
)
INTENTS = [REFUND, RETURN, ORDER, PASSWORD]


def top(text: str, lang: str = "en"):
    found = match(INTENTS, text, lang)
    assert found, f"no intent for {text!r}"
    return found[0]


@pytest.mark.parametrize(
    ("text", "lang", "intent"),
    [
        ("Track my order", "en", "order_status"),
        ("haluan hyvityksen", "fi", "refund"),
        ("missä tilaukseni on", "fi", "order_status"),
        ("我的订单在哪里？", "zh-hans", "order_status"),
        ("查一下订单", "zh-hans", "order_status"),
        ("أين طلبي؟", "ar", "order_status"),
        ("أين الطلب", "ar", "order_status"),
        ("أَيْنَ طَلَبِي", "ar", "order_status"),
    ],
)
def test_intent_matches_when_text_is_in_each_language(text: str, lang: str, intent: str) -> None:
    assert top(text, lang).intent == intent


def test_exact_phrase_scores_one_when_text_is_the_phrase() -> None:
    found = top("  TRACK my   order!! ")
    assert found.score == 1.0
    assert found.reason == "exact phrase 'track my order'"


def test_phrase_outranks_regex_outranks_keyword_outranks_fuzzy_when_tiers_differ() -> None:
    phrase = top("please track my order")
    regex = top("it is AB-12345")
    keyword = top("where is the order")
    fuzzy = top("retrun my ordr")
    assert phrase.kind == "phrase" and regex.kind == "regex"
    assert keyword.kind == "keyword" and fuzzy.kind == "fuzzy"
    assert 1 >= phrase.score > regex.score > keyword.score > fuzzy.score > 0


def test_fuzzy_matches_with_reason_when_text_has_typos() -> None:
    found = top("retrun my ordr")
    assert found.intent == "return"
    assert found.reason.startswith("fuzzy ")
    assert "phrase 'return my order'" in found.reason
    assert found.score <= FUZZY_MAX + 0.1


def test_fuzzy_matches_keyword_when_single_word_is_misspelt() -> None:
    found = top("I need a refnud")
    assert found.intent == "refund"
    assert "on keyword 'refund'" in found.reason


def test_nothing_matches_when_text_is_unrelated() -> None:
    assert match(INTENTS, "what a lovely weather today", "en") == []
    assert match(INTENTS, "", "en") == []


def test_regex_extracts_entities_when_pattern_has_named_groups() -> None:
    found = top("status of ns-12345 please")
    assert found.intent == "order_status"
    assert found.entities == {"order_number": "ns-12345"}
    assert found.reason.startswith("regex ")


def test_entities_are_kept_when_a_phrase_wins_over_the_regex() -> None:
    found = top("track my order AB-12345")
    assert found.kind == "phrase"
    assert found.entities == {"order_number": "AB-12345"}


def test_synonyms_apply_when_user_writes_a_variant() -> None:
    assert top("forgot my pwd").intent == "password"
    assert top("my pass word is lost").intent == "password"


def test_bot_synonyms_apply_when_passed_by_caller() -> None:
    found = match(INTENTS, "where is the parcel", "en", synonyms={"en": {"parcel": "order"}})
    assert found[0].intent == "order_status"


def test_prefix_keyword_matches_inflected_finnish_word_when_it_ends_with_star() -> None:
    assert top("tilauksen tila", "fi").intent == "order_status"


def test_keyword_does_not_match_inside_other_words_when_spaced_script() -> None:
    assert match([PASSWORD], "passwords", "en")[0].kind == "fuzzy"
    assert match([REFUND], "refundable", "en") == [] or top("refundable").kind == "fuzzy"


def test_own_language_wins_when_same_phrase_exists_in_two_languages() -> None:
    a = Intent("a", phrases={"en": ["ok computer"]})
    b = Intent("b", phrases={"fi": ["ok computer"]})
    assert match([a, b], "ok computer", "fi")[0].intent == "b"


def test_ambiguous_when_top_two_are_within_margin() -> None:
    found = match(INTENTS, "refund or return?", "en")
    assert [m.intent for m in found[:2]] == ["refund", "return"]
    assert found[0].score - found[1].score < AMBIGUOUS_MARGIN
    assert is_ambiguous(found)


def test_not_ambiguous_when_one_phrase_covers_more_of_the_message() -> None:
    greeting = Intent("greeting", phrases={"en": ["hi"]})
    found = match([greeting, *INTENTS], "hi, can you track my order", "en")
    assert found[0].intent == "order_status"
    assert not is_ambiguous(found)


def test_scores_are_between_zero_and_one_when_anything_matches() -> None:
    for text in ["track my order", "refund", "retrun", "AB-12345", "订单", "tilaus"]:
        for found in match(INTENTS, text, "en"):
            assert 0.0 <= found.score <= 1.0
            assert found.reason


def test_invalid_regex_is_skipped_when_matching() -> None:
    broken = Intent("broken", patterns={"*": ["(unclosed"]}, keywords={"en": ["broken"]})
    assert match([broken], "(unclosed", "en") == []
    assert match([broken], "it is broken", "en")[0].intent == "broken"


@pytest.mark.parametrize(
    "text",
    [
        "I want to talk to a human",
        "AGENT",
        "can I speak to someone",
        "haluan puhua ihmisen kanssa",
        "asiakaspalvelijalle kiitos",
        "أريد التحدث مع موظف",
        "أريد الموظف",
        "我要人工",
        "转客服",
        "找真人",
    ],
)
def test_handoff_is_detected_when_user_asks_for_a_person(text: str) -> None:
    assert detect_handoff(text) is not None


@pytest.mark.parametrize(
    "text", ["my personal details", "management", "where is my order", "订单", "شخصي"]
)
def test_handoff_is_not_detected_when_words_only_look_alike(text: str) -> None:
    assert detect_handoff(text) is None


def test_handoff_uses_bot_phrases_when_extra_list_is_given() -> None:
    assert detect_handoff("give me a supervisor", extra={"en": ["supervisor"]}) == "supervisor"
