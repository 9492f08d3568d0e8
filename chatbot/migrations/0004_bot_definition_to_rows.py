"""Move each widget's JSON `bot_definition` into bot rows (Bot, Intent, Flow, ...)."""

from django.db import migrations
from django.utils.text import slugify

from chatbot.compiler import compile_bot, write_bot
from chatbot.engine import SchemaError, dump_bot, load_bot


def _unique_slug(Bot, text: str) -> str:
    base = slugify(text)[:80] or "bot"
    slug, n = base, 1
    while Bot.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def definitions_to_rows(apps, schema_editor):
    Widget, Bot = apps.get_model("chatbot", "Widget"), apps.get_model("chatbot", "Bot")
    for widget in Widget.objects.filter(bot__isnull=True).order_by("pk"):
        if not widget.bot_definition:
            continue
        try:
            data = dump_bot(load_bot(widget.bot_definition))
        except SchemaError as exc:
            raise RuntimeError(
                f"Widget {widget.public_key}: its bot definition does not load; fix it (or empty "
                f"it) before migrating:\n{exc}"
            ) from exc
        bot = Bot.objects.create(slug=_unique_slug(Bot, widget.public_key), name=data["name"])
        write_bot(bot, data, lambda name: apps.get_model("chatbot", name))
        widget.bot = bot
        widget.save(update_fields=["bot"])


def rows_to_definitions(apps, schema_editor):
    Widget = apps.get_model("chatbot", "Widget")
    for widget in Widget.objects.exclude(bot=None).select_related("bot"):
        widget.bot_definition = compile_bot(widget.bot)
        widget.save(update_fields=["bot_definition"])


class Migration(migrations.Migration):
    dependencies = [("chatbot", "0003_bots_as_rows")]

    operations = [migrations.RunPython(definitions_to_rows, rows_to_definitions)]
