"""`manage.py chatbot validate|export|import` and the demo widget."""

from __future__ import annotations

import io

import pytest
import yaml
from django.core.management import CommandError, call_command


def test_validate_passes_for_the_demo_widget_and_fails_for_a_broken_file(widget, tmp_path):
    out = io.StringIO()
    call_command("chatbot", "validate", "--widget", "demo-shop-key", stdout=out)
    assert "demo-shop-key: ok" in out.getvalue()
    broken = tmp_path / "bot.yml"
    broken.write_text("name: x\nflows: {a: {steps: [{id: s, kind: nope}]}}\n")
    with pytest.raises(CommandError):
        call_command("chatbot", "validate", "--file", str(broken), stdout=io.StringIO())


def test_export_then_import_round_trips(widget, tmp_path):
    target = tmp_path / "out.yml"
    call_command("chatbot", "export", "--widget", "demo-shop-key", "--file", str(target))
    assert yaml.safe_load(target.read_text())["name"] == "Northwind shop assistant"
    call_command("chatbot", "import", "--widget", "demo-shop-key", "--file", str(target),
                 stdout=io.StringIO())  # fmt: skip
    widget.refresh_from_db()
    assert widget.bot_definition["start_flow"] == "greeting"


def test_demo_widget_is_idempotent_and_prints_the_secret(db):
    from chatbot.demo import load
    from chatbot.models import Widget

    out = io.StringIO()
    first, second = load(out), load(out)
    assert first.pk == second.pk and Widget.objects.count() == 1
    assert first.identity_secret in out.getvalue()
    assert "http://localhost:8001" in first.allowed_origins


def test_admin_widget_pages_and_test_box(admin_user, client, widget):
    client.force_login(admin_user)
    assert client.get(f"/admin/chatbot/widget/{widget.pk}/change/").status_code == 200
    response = client.post(
        f"/admin/chatbot/widget/{widget.pk}/test/", {"text": "I forgot my password"}
    )
    assert response.status_code == 200
    assert b"password_reset" in response.content


def test_openapi_schema_documents_the_chat_api(admin_user, client):
    client.force_login(admin_user)
    schema = client.get("/api/v1/schema/").content.decode()
    assert "/api/v1/chat/start" in schema and "X-Chat-Token" in schema
