"""Bots stored as rows: compiled for the engine, cached, recompiled after any edit, in admin."""

from __future__ import annotations

import json

from django.forms import MultiValueField

from chatbot import bots
from chatbot.authoring import export_bot
from chatbot.compiler import compile_bot
from chatbot.engine import dump_bot, load_bot
from chatbot.engine.demo import load_demo_bot
from chatbot.models import Bot, FlowStep, Intent, IntentPhrase, StepOption, Widget


def _fresh(widget: Widget) -> Widget:
    return Widget.objects.select_related("bot").get(pk=widget.pk)


def test_rows_compile_to_the_demo_definition(widget):
    assert dump_bot(load_bot(compile_bot(widget.bot))) == dump_bot(load_demo_bot())
    assert load_bot(compile_bot(widget.bot)) == load_demo_bot()


def test_compiled_bot_is_cached_until_a_row_changes(widget, django_assert_num_queries):
    widget = _fresh(widget)
    first = bots.bot_for(widget)
    with django_assert_num_queries(0):
        assert bots.bot_for(widget) is first
    version = widget.bot.version
    intent = Intent.objects.get(bot=widget.bot, name="return_policy")
    IntentPhrase.objects.create(intent=intent, kind="phrase", language="en", text="boomerang")
    widget = _fresh(widget)
    assert widget.bot.version != version
    assert "boomerang" in bots.bot_for(widget).intent("return_policy").phrases["en"]


def test_chat_answers_with_an_edited_option_label_at_once(chat, widget):
    option = StepOption.objects.get(step__flow__key="greeting", position=1)
    option.label = {**option.label, "en": "Send something back"}
    option.save()
    started = chat.start(lang="en")
    assert "Send something back" in [q["label"] for q in started["messages"][0]["quick_replies"]]


def test_deleting_a_row_invalidates_too(widget):
    widget = _fresh(widget)
    assert bots.bot_for(widget).intent("goodbye") is not None
    Intent.objects.get(bot=widget.bot, name="goodbye").delete()
    assert bots.bot_for(_fresh(widget)).intent("goodbye") is None


def test_rows_that_do_not_load_keep_the_last_good_bot_running(widget, caplog):
    good = bots.bot_for(_fresh(widget))
    step = FlowStep.objects.get(flow__key="greeting", key="menu")
    step.kind = "ask"  # an ask step without validation does not load
    step.save()
    assert bots.bot_for(_fresh(widget)) == good
    assert "does not load" in caplog.text


def test_widget_without_a_bot_still_greets(chat, db):
    Widget.objects.create(name="Bare", public_key="bare", allowed_origins=[chat.origin])
    chat.key = "bare"
    started = chat.start(lang="fi")
    assert started["messages"] and started["messages"][0]["author"] == "bot"


def test_export_of_rows_with_schema_errors_still_gives_the_rows(widget):
    FlowStep.objects.filter(flow__key="greeting", key="menu").update(kind="ask")
    Bot.objects.filter(pk=widget.bot_id).update(version="x")
    data = export_bot(bot=Bot.objects.get(pk=widget.bot_id))
    assert data["flows"]["greeting"]["steps"][0]["kind"] == "ask"


# --- admin --------------------------------------------------------------------------------------


def test_admin_pages_of_a_bot_show_inlines_and_problems(admin_user, client, widget):
    client.force_login(admin_user)
    bot = widget.bot
    page = client.get(f"/admin/chatbot/bot/{bot.pk}/change/").content.decode()
    assert "order_status" in page and "talk_to_person" in page  # intent and flow inlines
    assert "No problems found." in page
    intent = Intent.objects.get(bot=bot, name="order_status")
    page = client.get(f"/admin/chatbot/intent/{intent.pk}/change/").content.decode()
    assert "missä tilaukseni on" in page and "phrases-TOTAL_FORMS" in page
    step = FlowStep.objects.get(flow__bot=bot, key="problem")
    page = client.get(f"/admin/chatbot/flowstep/{step.pk}/change/").content.decode()
    assert "The link expired" in page and "options-TOTAL_FORMS" in page
    flow = step.flow
    assert client.get(f"/admin/chatbot/flow/{flow.pk}/change/").status_code == 200


def test_admin_problems_are_escaped(admin_user, client, widget):
    step = FlowStep.objects.get(flow__key="order_status", key="on_its_way")
    step.next_step = "<script>x</script>"
    step.save()
    client.force_login(admin_user)
    page = client.get(f"/admin/chatbot/bot/{widget.bot_id}/change/").content.decode()
    assert "&lt;script&gt;x&lt;/script&gt;" in page and "<script>x</script>" not in page


def test_admin_inline_adds_a_phrase_and_the_test_box_sees_it(admin_user, client, widget):
    client.force_login(admin_user)
    intent = Intent.objects.get(bot=widget.bot, name="goodbye")
    url = f"/admin/chatbot/intent/{intent.pk}/change/"
    data = _change_form_data(client, url)
    n = int(data["phrases-TOTAL_FORMS"])
    data.update({
        "phrases-TOTAL_FORMS": str(n + 1), f"phrases-{n}-kind": "phrase",
        f"phrases-{n}-language": "en", f"phrases-{n}-text": "cheerio mate",
        f"phrases-{n}-position": "99", f"phrases-{n}-intent": str(intent.pk),
    })  # fmt: skip
    response = client.post(url, data)
    assert response.status_code == 302, response.context and response.context["errors"]
    answer = client.post(f"/admin/chatbot/bot/{widget.bot_id}/test/", {"text": "cheerio mate"})
    assert b"goodbye" in answer.content
    answer = client.post(f"/admin/chatbot/widget/{widget.pk}/test/", {"text": "cheerio mate"})
    assert b"goodbye" in answer.content


def test_admin_exports_the_bot_as_yaml(admin_user, client, widget):
    client.force_login(admin_user)
    response = client.get(f"/admin/chatbot/bot/{widget.bot_id}/export/")
    assert response["Content-Disposition"] == 'attachment; filename="northwind.yml"'
    assert "Northwind shop assistant" in response.content.decode()


def test_admin_widget_pages_and_test_box(admin_user, client, widget):
    client.force_login(admin_user)
    assert client.get(f"/admin/chatbot/widget/{widget.pk}/change/").status_code == 200
    response = client.post(
        f"/admin/chatbot/widget/{widget.pk}/test/", {"text": "I forgot my password"}
    )
    assert response.status_code == 200
    assert b"password_reset" in response.content


def _change_form_data(client, url: str) -> dict[str, str]:
    """What the admin change form would post unchanged: main form and every inline formset."""
    context = client.get(url).context
    data: dict[str, str] = {}
    forms = [context["adminform"].form]
    for inline in context["inline_admin_formsets"]:
        formset = inline.formset
        management = formset.management_form
        for name, field in management.fields.items():
            data[f"{formset.prefix}-{name}"] = str(management[name].value() or field.initial or 0)
        forms += list(formset.forms)
    for form in forms:
        for name, field in form.fields.items():
            value = form[name].value()
            if isinstance(field, MultiValueField):  # one box per language
                for i, text in enumerate(field.widget.decompress(value)):
                    data[f"{form.add_prefix(name)}_{i}"] = text
                continue
            if value is None or value is False:
                continue
            if isinstance(value, dict | list):
                value = json.dumps(value)
            data[form.add_prefix(name)] = str(value)
    return data


def test_admin_edits_texts_one_box_per_language_and_keeps_other_languages(
    admin_user, client, widget
):
    step = FlowStep.objects.get(flow__key="goodbye", key="bye")
    step.text = {**step.text, "sv": "Varsågod!"}  # a language the bot does not list
    step.save()
    client.force_login(admin_user)
    url = f"/admin/chatbot/flowstep/{step.pk}/change/"
    page = client.get(url).content.decode()
    assert 'for="id_text_2"' in page and 'lang="ar" dir="rtl" id="id_text_2"' in page
    data = _change_form_data(client, url)
    data["text_1"] = "Ole hyvä! Hyvää päivänjatkoa."
    response = client.post(url, data)
    assert response.status_code == 302, response.context and response.context["errors"]
    step.refresh_from_db()
    assert step.text["fi"] == "Ole hyvä! Hyvää päivänjatkoa."
    assert step.text["sv"] == "Varsågod!" and step.text["zh-hans"] == "不客气！祝您生活愉快。"


def test_admin_refuses_texts_that_are_not_per_language(admin_user, client, widget):
    client.force_login(admin_user)
    flow = widget.bot.flows.get(key="goodbye")
    data = _change_form_data(client, "/admin/chatbot/flowstep/add/")
    data.update({"flow": str(flow.pk), "key": "extra", "kind": "end", "text": '"just a string"'})
    response = client.post("/admin/chatbot/flowstep/add/", data)
    assert response.status_code == 200
    assert "Give texts per language" in response.content.decode()
    assert not FlowStep.objects.filter(key="extra").exists()


def test_admin_test_box_walks_a_flow_turn_by_turn(admin_user, client, widget):
    client.force_login(admin_user)
    url = f"/admin/chatbot/bot/{widget.bot_id}/test/"
    first = client.post(url, {"text": "where is my order", "language": "en"})
    assert b"order_status" in first.content and b"What&#x27;s your order number?" in first.content
    session = first.context["form"].initial["session"]
    second = client.post(url, {"text": "NS-12345", "language": "en", "session": session})
    page = second.content.decode()
    assert "Order NS-12345 has left our warehouse" in page and "order_number = NS-12345" in page
    assert page.index("where is my order") < page.index("Order NS-12345 has left")
    forged = client.post(url, {"text": "NS-12345", "language": "en", "session": "x" + session})
    assert "where is my order" not in forged.content.decode()  # a fresh conversation instead
