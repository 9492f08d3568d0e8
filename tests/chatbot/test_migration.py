"""The data migration moves each widget's JSON bot definition into rows, and back."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from chatbot.engine import dump_bot
from chatbot.engine.demo import load_demo_bot

BEFORE = [("chatbot", "0003_bots_as_rows")]
AFTER = [("chatbot", "0005_remove_widget_bot_definition")]


def _migrate(target):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(target)
    return executor.loader.project_state(target).apps


@pytest.mark.django_db(transaction=True)
def test_bot_definitions_become_rows_and_can_go_back():
    old = _migrate(BEFORE)
    definition = dump_bot(load_demo_bot())
    widget_model = old.get_model("chatbot", "Widget")
    widget_model.objects.create(name="Old", public_key="old-key", bot_definition=definition)
    widget_model.objects.create(name="Empty", public_key="empty-key", bot_definition={})
    try:
        new = _migrate(AFTER)
        widget = new.get_model("chatbot", "Widget").objects.get(public_key="old-key")
        assert widget.bot.slug == "old-key" and widget.bot.name == "Northwind shop assistant"
        assert widget.bot.intents.count() == 6
        assert new.get_model("chatbot", "Widget").objects.get(public_key="empty-key").bot is None

        from chatbot.compiler import compile_bot
        from chatbot.engine import load_bot

        assert dump_bot(load_bot(compile_bot(widget.bot))) == definition
        back = _migrate(BEFORE)
        restored = back.get_model("chatbot", "Widget").objects.get(public_key="old-key")
        assert dump_bot(load_bot(restored.bot_definition)) == definition
    finally:  # back to the newest schema of every app, or later tests meet old tables
        executor = MigrationExecutor(connection)
        _migrate(executor.loader.graph.leaf_nodes())
