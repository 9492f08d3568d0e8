"""Static bot checks: each issue kind on a small broken bot; the demo bot is clean."""

from __future__ import annotations

from chatbot.engine import Bot, Flow, Intent, Severity, Step, StepKind, validate
from chatbot.engine.flow import Option, SlotCheck, SlotKind


def _bot(**overrides) -> Bot:
    steps = {
        "start": Step("start", StepKind.OPTIONS, text={"en": "Pick", "fi": "Valitse"},
                      options=[Option({"en": "A", "fi": "A"}, next="done")]),
        "done": Step("done", StepKind.END, text={"en": "Bye", "fi": "Hei hei"}),
    }  # fmt: skip
    fields = {
        "languages": ["en", "fi"],
        "intents": [Intent("main", phrases={"en": ["main"], "fi": ["pää"]})],
        "flows": {"main": Flow("main", steps, "start")},
    }
    fields.update(overrides)
    return Bot(**fields)


def _codes(bot: Bot) -> set[str]:
    return {issue.code for issue in validate(bot)}


def _with_steps(*extra: Step, start_next: str = "done") -> Bot:
    steps = {
        "start": Step("start", StepKind.MESSAGE, text={"en": "x", "fi": "x"}, next=start_next),
        "done": Step("done", StepKind.END),
    }
    steps.update({s.id: s for s in extra})
    return _bot(flows={"main": Flow("main", steps, "start")})


def test_no_issues_when_bot_is_small_and_complete() -> None:
    assert validate(_bot()) == []


def test_demo_bot_has_no_errors_or_warnings_when_validated(demo_bot) -> None:
    assert [str(i) for i in validate(demo_bot)] == []


def test_unreachable_step_is_reported_when_nothing_leads_to_it() -> None:
    bot = _with_steps(Step("orphan", StepKind.END))
    issues = [i for i in validate(bot) if i.code == "unreachable_step"]
    assert [i.path for i in issues] == ["flows.main.steps.orphan"]
    assert issues[0].severity == Severity.WARNING


def test_unreachable_flow_is_reported_when_no_intent_starts_it() -> None:
    lonely = Flow("lonely", {"a": Step("a", StepKind.END)}, "a")
    bot = _bot(flows={**_bot().flows, "lonely": lonely})
    assert "unreachable_flow" in _codes(bot)


def test_dead_end_is_an_error_when_message_has_no_next() -> None:
    bot = _with_steps(
        Step("stuck", StepKind.MESSAGE, text={"en": "x", "fi": "x"}), start_next="stuck"
    )
    issues = [i for i in validate(bot) if i.code == "dead_end"]
    assert [(i.path, i.severity) for i in issues] == [("flows.main.steps.stuck", Severity.ERROR)]


def test_dead_end_is_reported_when_branch_has_no_cases() -> None:
    bot = _with_steps(Step("fork", StepKind.BRANCH, branch_on="hours"), start_next="fork")
    assert "dead_end" in _codes(bot)


def test_no_exit_is_reported_when_steps_loop_without_handoff_or_end() -> None:
    loop = Step("loop", StepKind.OPTIONS, text={"en": "x", "fi": "x"},
                options=[Option({"en": "again", "fi": "taas"}, next="loop")])  # fmt: skip
    bot = _with_steps(loop, start_next="loop")
    issues = [i for i in validate(bot) if i.code == "no_exit"]
    assert [i.path for i in issues] == ["flows.main.steps.start", "flows.main.steps.loop"]


def test_missing_translation_is_reported_when_a_language_has_no_text() -> None:
    bot = _with_steps(
        Step(
            "ask", StepKind.ASK, text={"en": "Email?"}, check=SlotCheck(SlotKind.EMAIL), next="done"
        ),
        start_next="ask",
    )
    issues = [i for i in validate(bot) if i.code == "missing_translation"]
    assert [(i.path, i.message) for i in issues] == [("flows.main.steps.ask.text", "no 'fi' text")]


def test_missing_translation_is_reported_when_intent_has_no_phrases_in_a_language() -> None:
    bot = _bot(intents=[Intent("main", phrases={"en": ["main"]})])
    issues = [i for i in validate(bot) if i.code == "missing_translation"]
    assert [(i.path, i.message) for i in issues] == [("intents.main", "no 'fi' phrases")]


def test_collision_is_reported_when_two_intents_share_a_keyword() -> None:
    other = Intent("other", flow="main", phrases={"en": ["MAIN"], "fi": ["muu"]})
    issues = [i for i in validate(_bot(intents=[*_bot().intents, other])) if i.code == "collision"]
    assert len(issues) == 1
    assert "also used by intent 'main'" in issues[0].message


def test_invalid_regex_is_an_error_when_pattern_does_not_compile() -> None:
    bad_intent = Intent("main", phrases={"en": ["m"], "fi": ["m"]}, patterns={"*": ["(oops"]})
    bad_slot = Step("ask", StepKind.ASK, text={"en": "#", "fi": "#"},
                    check=SlotCheck(SlotKind.PATTERN, pattern="[a-"), next="done")  # fmt: skip
    bot = _with_steps(bad_slot, start_next="ask")
    bot = Bot(**{**bot.__dict__, "intents": [bad_intent]})
    issues = [i for i in validate(bot) if i.code == "invalid_regex"]
    assert {i.path for i in issues} == {
        "intents.main.patterns.*",
        "flows.main.steps.ask.validate.pattern",
    }
    assert all(i.severity == Severity.ERROR for i in issues)


def test_unknown_target_is_an_error_when_bot_is_built_in_code() -> None:
    bot = _with_steps(start_next="nowhere")
    assert "unknown_target" in _codes(bot)


def test_errors_come_first_when_issues_are_mixed() -> None:
    bot = _with_steps(Step("orphan", StepKind.END), start_next="nowhere")
    severities = [i.severity for i in validate(bot)]
    assert severities == sorted(severities, key=lambda s: s != Severity.ERROR)
