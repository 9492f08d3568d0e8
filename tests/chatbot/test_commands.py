"""`manage.py chatbot validate|export|import` on bots stored as rows, and the demo widget."""

from __future__ import annotations

import io

import pytest
import yaml
from django.core.management import CommandError, call_command

from chatbot.models import Bot, FlowStep, Intent, IntentPhrase


def _export(*args: str) -> str:
    out = io.StringIO()
    call_command("chatbot", "export", *args, stdout=out)
    return out.getvalue()


def _validate(*args: str) -> str:
    out = io.StringIO()
    call_command("chatbot", "validate", *args, stdout=out)
    return out.getvalue()


def test_validate_passes_for_the_demo_bot_and_fails_for_a_broken_file(widget, tmp_path):
    assert "northwind: ok" in _validate("--widget", "demo-shop-key")
    assert "northwind: ok" in _validate("--bot", "northwind")
    broken = tmp_path / "bot.yml"
    broken.write_text("name: x\nflows: {a: {steps: [{id: s, kind: nope}]}}\n")
    with pytest.raises(CommandError):
        call_command("chatbot", "validate", "--file", str(broken), stdout=io.StringIO())


def test_validate_exits_non_zero_for_a_dead_end_in_the_rows(widget):
    step = FlowStep.objects.get(flow__key="order_status", key="on_its_way")
    step.next_step = ""
    step.save()
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("chatbot", "validate", "--bot", "northwind", stdout=out)
    assert "flows.order_status.steps.on_its_way" in out.getvalue()
    assert "[dead_end]" in out.getvalue() and "northwind: ERRORS" in out.getvalue()


def test_validate_warns_about_unreachable_steps_translations_and_collisions(widget):
    flow = widget.bot.flows.get(key="goodbye")
    FlowStep.objects.create(flow=flow, key="orphan", kind="end", text={"en": "Only English"})
    intent = Intent.objects.get(bot=widget.bot, name="goodbye")
    IntentPhrase.objects.create(intent=intent, kind="keyword", language="en", text="delivery")
    report = _validate("--bot", "northwind")  # warnings alone do not fail
    assert "flows.goodbye.steps.orphan: no step leads here [unreachable_step]" in report
    assert "flows.goodbye.steps.orphan.text: no 'fi' text [missing_translation]" in report
    assert "'delivery' (en) is also used by intent 'order_status' [collision]" in report
    assert "northwind: ok" in report


def test_export_import_export_is_identical_and_a_second_import_changes_nothing(widget, tmp_path):
    first = tmp_path / "first.yml"
    call_command("chatbot", "export", "--widget", "demo-shop-key", "--file", str(first))
    data = yaml.safe_load(first.read_text(encoding="utf-8"))
    assert data["name"] == "Northwind shop assistant" and data["start_flow"] == "greeting"
    version = Bot.objects.get(slug="northwind").version

    out = io.StringIO()
    call_command("chatbot", "import", "--bot", "northwind", "--file", str(first), stdout=out)
    assert "Unchanged" in out.getvalue()
    assert Bot.objects.get(slug="northwind").version == version  # nothing written

    # Into a new bot: every row is written, and exporting it gives the very same text.
    call_command("chatbot", "import", "--bot", "copy", "--create", "--file", str(first),
                 stdout=io.StringIO())  # fmt: skip
    assert _export("--bot", "copy") == first.read_text(encoding="utf-8")
    copy = Bot.objects.get(slug="copy")
    assert copy.intents.count() == 6 and copy.flows.count() == 6
    assert (
        IntentPhrase.objects.filter(intent__bot=copy).count()
        == IntentPhrase.objects.filter(intent__bot__slug="northwind").count()
    )


def test_import_replaces_the_rows_and_refuses_a_broken_file(widget, tmp_path):
    data = yaml.safe_load(_export("--bot", "northwind"))
    data["intents"] = [i for i in data["intents"] if i["name"] != "goodbye"]
    del data["flows"]["goodbye"]
    smaller = tmp_path / "smaller.yml"
    smaller.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    call_command("chatbot", "import", "--widget", "demo-shop-key", "--file", str(smaller),
                 stdout=io.StringIO())  # fmt: skip
    assert not Intent.objects.filter(bot=widget.bot, name="goodbye").exists()
    broken = tmp_path / "broken.yml"
    broken.write_text("name: x\nintents: [{name: a, flow: nowhere}]\n", encoding="utf-8")
    with pytest.raises(CommandError, match="unknown flow 'nowhere'"):
        call_command("chatbot", "import", "--bot", "northwind", "--file", str(broken),
                     stdout=io.StringIO())  # fmt: skip
    assert Intent.objects.filter(bot=widget.bot).count() == 5  # untouched


def test_demo_widget_is_idempotent_and_prints_the_secret(db):
    from chatbot.demo import load
    from chatbot.models import Widget

    out = io.StringIO()
    first, second = load(out), load(out)
    assert first.pk == second.pk and Widget.objects.count() == 1 and Bot.objects.count() == 1
    assert first.identity_secret in out.getvalue()
    assert "http://localhost:8001" in first.allowed_origins
    assert first.bot.intents.count() == 6
    assert IntentPhrase.objects.filter(intent__bot=first.bot, language="zh-hans").exists()


def test_openapi_schema_documents_the_chat_api(admin_user, client):
    client.force_login(admin_user)
    schema = client.get("/api/v1/schema/").content.decode()
    assert "/api/v1/chat/start" in schema and "X-Chat-Token" in schema
