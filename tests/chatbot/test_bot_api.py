"""The bots API: export and import definitions as JSON, helpdesk admins only."""

from __future__ import annotations

import pytest

from chatbot.authoring import check_bot, export_and_check, export_bot
from chatbot.models import Bot, FlowStep, Intent


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


def test_admin_reads_a_bot_with_its_report(admin_client, widget):
    assert [b["slug"] for b in admin_client.get("/api/v1/chat/bots/").json()] == ["northwind"]
    body = admin_client.get("/api/v1/chat/bots/northwind").json()
    assert body["definition"]["start_flow"] == "greeting" and body["errors"] == []
    assert body["version"] == Bot.objects.get(slug="northwind").version


def test_put_imports_once_and_refuses_a_broken_definition(admin_client, widget):
    definition = admin_client.get("/api/v1/chat/bots/northwind").json()["definition"]
    definition["intents"][0]["phrases"]["en"].append("howdy")
    put = admin_client.put("/api/v1/chat/bots/northwind", {"definition": definition},
                           content_type="application/json")  # fmt: skip
    assert put.status_code == 200, put.content
    assert "howdy" in Intent.objects.get(
        bot__slug="northwind", name="greeting"
    ).phrases.values_list("text", flat=True)
    again = admin_client.put("/api/v1/chat/bots/northwind", {"definition": definition},
                             content_type="application/json")  # fmt: skip
    assert again.json()["version"] == put.json()["version"]  # nothing written the second time
    broken = admin_client.put("/api/v1/chat/bots/northwind",
                              {"definition": {"intents": [{"name": "x", "flow": "nowhere"}]}},
                              content_type="application/json")  # fmt: skip
    assert broken.status_code == 400 and "unknown flow 'nowhere'" in broken.json()["errors"][0]


@pytest.mark.parametrize("who", ["agent", "customer", None])
def test_only_helpdesk_admins_may_use_it(client, request, who, widget):
    if who:
        client.force_login(request.getfixturevalue(who))
    assert client.get("/api/v1/chat/bots/northwind").status_code in (401, 403)
    assert client.put("/api/v1/chat/bots/northwind", {}, content_type="application/json"
                      ).status_code in (401, 403)  # fmt: skip


def test_openapi_documents_the_bots_api(admin_client):
    schema = admin_client.get("/api/v1/schema/").content.decode()
    assert "/api/v1/chat/bots/{slug}" in schema


def test_export_and_check_gives_the_export_and_the_report_from_one_compile(widget):
    bot = Bot.objects.get(slug="northwind")
    _loaded, errors, warnings = check_bot(bot)
    assert export_and_check(bot) == (export_bot(bot=bot), errors, warnings)
    FlowStep.objects.filter(flow__bot=bot).update(next_step="nowhere-at-all")
    definition, errors, _warnings = export_and_check(bot)
    assert errors and definition == export_bot(bot=bot)  # rows exported as they are
