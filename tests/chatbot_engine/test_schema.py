"""Loading and dumping bot definitions: round trips and clear errors."""

from __future__ import annotations

import pytest
import yaml

from chatbot.engine import SchemaError, dump_bot, load_bot
from chatbot.engine.demo import DEMO_BOT_PATH

MINIMAL = {
    "intents": [{"name": "hi", "phrases": ["hello"]}],
    "flows": {"hi": {"steps": [{"id": "a", "kind": "end", "text": "Hello!"}]}},
}


def _errors(data: dict) -> list[str]:
    with pytest.raises(SchemaError) as caught:
        load_bot(data)
    return caught.value.errors


def test_demo_bot_round_trips_when_loaded_dumped_and_loaded_again(demo_bot) -> None:
    dumped = dump_bot(demo_bot)
    assert load_bot(dumped) == demo_bot
    assert dump_bot(load_bot(dumped)) == dumped


def test_round_trip_survives_yaml_when_dumped_as_text(demo_bot) -> None:
    text = yaml.safe_dump(dump_bot(demo_bot), allow_unicode=True, sort_keys=False)
    assert load_bot(yaml.safe_load(text)) == demo_bot


def test_dump_omits_defaults_when_fields_are_unset() -> None:
    dumped = dump_bot(load_bot(MINIMAL))
    assert dumped["flows"]["hi"]["steps"] == [{"id": "a", "kind": "end", "text": {"en": "Hello!"}}]
    assert dumped["intents"] == [{"name": "hi", "phrases": ["hello"]}]


def test_bare_string_means_default_language_when_text_is_not_a_mapping() -> None:
    bot = load_bot({**MINIMAL, "default_language": "fi"})
    assert bot.flows["hi"].steps["a"].text == {"fi": "Hello!"}


def test_error_names_the_step_when_next_points_to_unknown_step() -> None:
    data = {
        "intents": [{"name": "hi", "phrases": ["hello"]}],
        "flows": {"hi": {"steps": [{"id": "a", "kind": "message", "text": "x", "next": "b"}]}},
    }
    assert _errors(data) == ["flows.hi.steps.a: unknown step 'b'"]


def test_error_names_the_flow_when_cross_flow_target_is_unknown() -> None:
    data = {
        "intents": [{"name": "hi", "phrases": ["hello"]}],
        "flows": {"hi": {"steps": [{"id": "a", "kind": "message", "text": "x", "next": "x:y"}]}},
    }
    assert _errors(data) == ["flows.hi.steps.a: unknown step 'x:y'"]


def test_all_errors_are_listed_when_definition_has_several_problems() -> None:
    data = {
        "intents": [{"name": "hi", "flow": "nope"}, {"phrases": ["x"]}],
        "flows": {"hi": {"steps": [
            {"id": "a", "kind": "teleport"},
            {"id": "b", "kind": "ask", "validate": {"kind": "pattern"}},
            {"id": "c", "kind": "options", "nxt": "a"},
        ]}},
        "colour": "blue",
    }  # fmt: skip
    errors = _errors(data)
    assert "bot: unknown key 'colour'" in errors[0]
    assert "intents[1].name: is required" in errors
    assert "flows.hi.steps[0].kind: unknown step kind 'teleport'" in errors
    assert "flows.hi.steps[1].validate.pattern: is required for a pattern slot" in errors
    assert any(e.startswith("flows.hi.steps[2]: unknown key 'nxt'") for e in errors)
    assert "flows.hi.steps[2].options: an options step needs at least one option" in errors
    assert "invalid bot definition" in str(SchemaError(errors))


def test_error_explains_yaml_booleans_when_yes_no_keys_are_unquoted() -> None:
    data = yaml.safe_load(
        """
intents: [{name: hi, phrases: [hello]}]
flows:
  hi:
    steps:
      - {id: a, kind: ask_resolved, no: b}
      - {id: b, kind: end}
"""
    )
    assert any("quote yes/no/on/off" in e for e in _errors(data))


def test_error_is_raised_when_menu_or_handoff_flow_is_unknown() -> None:
    errors = _errors({**MINIMAL, "menu": ["ghost"], "handoff_flow": "nowhere"})
    assert errors == ["menu: unknown intent 'ghost'", "handoff_flow: unknown flow 'nowhere'"]


def test_duplicates_are_rejected_when_ids_repeat() -> None:
    data = {
        "intents": [{"name": "hi", "phrases": ["a"]}, {"name": "hi", "phrases": ["b"]}],
        "flows": {"hi": {"steps": [{"id": "a", "kind": "end"}, {"id": "a", "kind": "end"}]}},
    }
    errors = _errors(data)
    assert "intents[1].name: duplicate intent 'hi'" in errors
    assert "flows.hi.steps[1].id: duplicate step id 'a'" in errors


def test_demo_file_is_valid_yaml_when_read_from_package() -> None:
    assert DEMO_BOT_PATH.exists()
    assert load_bot(yaml.safe_load(DEMO_BOT_PATH.read_text(encoding="utf-8"))).name
