"""Writes and checks of bots stored as rows: import from YAML data, export, validate, versioning.

Every saved or deleted row of a bot gives the bot a new `version` (signals connected in
`ChatbotConfig.ready`, so admin inlines, the shell and imports alike invalidate the compiled-bot
cache); an import changes the version once, not once per row.
"""

from __future__ import annotations

import contextvars
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from django.apps import apps
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.utils.text import slugify
from django.utils.translation import gettext as _

from chatbot.engine import Bot as EngineBot
from chatbot.engine import SchemaError, Severity, dump_bot, load_bot, validate

from .bot_models import Bot, Flow, FlowStep, Intent, IntentPhrase, StepOption, Synonym, new_version
from .compiler import compile_bot, write_bot

_quiet = contextvars.ContextVar("chatbot_quiet_versioning", default=False)


def touch_bot(*, bot_id: int) -> None:
    """Give the bot a new version: the next turn compiles its rows again."""
    Bot.objects.filter(pk=bot_id).update(version=new_version())


@contextmanager
def _one_version_bump(bot: Bot) -> Iterator[None]:
    token = _quiet.set(True)
    try:
        yield
    finally:
        _quiet.reset(token)
    touch_bot(bot_id=bot.pk)


def _bot_id(instance: Any) -> int | None:
    if isinstance(instance, Bot):
        return instance.pk
    if isinstance(instance, Intent | Synonym | Flow):
        return instance.bot_id
    if isinstance(instance, IntentPhrase):
        return Intent.objects.filter(pk=instance.intent_id).values_list("bot_id", flat=True).first()
    if isinstance(instance, FlowStep):
        return Flow.objects.filter(pk=instance.flow_id).values_list("bot_id", flat=True).first()
    if isinstance(instance, StepOption):
        found = FlowStep.objects.filter(pk=instance.step_id).values_list("flow__bot_id", flat=True)
        return found.first()
    return None


def _row_changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    if _quiet.get() or kwargs.get("raw"):
        return
    bot_id = _bot_id(instance)
    if bot_id is not None:
        touch_bot(bot_id=bot_id)


def connect_versioning() -> None:
    """Called once from AppConfig.ready()."""
    for model in (Bot, Intent, IntentPhrase, Synonym, Flow, FlowStep, StepOption):
        uid = f"chatbot-version-{model.__name__}"
        post_save.connect(_row_changed, sender=model, dispatch_uid=uid + "-save")
        post_delete.connect(_row_changed, sender=model, dispatch_uid=uid + "-delete")


def canonical(data: Any) -> dict[str, Any]:
    """Checked, canonical form of a definition; SchemaError lists every problem."""
    if not isinstance(data, Mapping):
        raise SchemaError([_("bot: the definition must be a mapping (YAML object)")])
    return dump_bot(load_bot(data))


def export_bot(*, bot: Bot) -> dict[str, Any]:
    """The bot as YAML-ready data; rows with schema errors are exported as they are."""
    raw = compile_bot(bot)
    try:
        return canonical(raw)
    except SchemaError:
        return raw


@transaction.atomic
def import_bot(*, bot: Bot, data: Any) -> bool:
    """Replace the bot's rows with `data`; False (nothing written) when they already match."""
    wanted = canonical(data)
    locked = Bot.objects.select_for_update().get(pk=bot.pk)
    if locked.intents.exists() or locked.flows.exists():
        try:
            if canonical(compile_bot(locked)) == wanted:
                return False
        except SchemaError:
            pass
    with _one_version_bump(locked):
        write_bot(locked, wanted, lambda name: apps.get_model("chatbot", name))
    bot.refresh_from_db()
    return True


def unique_slug(text: str) -> str:
    base = slugify(text)[:80] or "bot"
    slug, n = base, 1
    while Bot.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


@transaction.atomic
def import_widget_bot(*, widget: Any, data: Any) -> tuple[Bot, bool]:
    """Import into the widget's bot, creating one for the widget when it has none."""
    wanted = canonical(data)
    bot = widget.bot
    if bot is None:
        bot = Bot.objects.create(slug=unique_slug(widget.public_key), name=wanted["name"])
        widget.bot = bot
        widget.save(update_fields=["bot", "updated_at"])
    return bot, import_bot(bot=bot, data=wanted)


def definition_problems(data: Any) -> tuple[EngineBot | None, list[str], list[str]]:
    """The loaded engine bot, its errors and its warnings, as lines for people."""
    if not isinstance(data, Mapping):
        return None, [_("bot: the definition must be a mapping (YAML object)")], []
    try:
        loaded = load_bot(data)
    except SchemaError as exc:
        return None, list(exc.errors), []
    issues = validate(loaded)
    errors = [str(i) for i in issues if i.severity == Severity.ERROR]
    return loaded, errors, [str(i) for i in issues if i.severity != Severity.ERROR]


def check_bot(bot: Bot | None) -> tuple[EngineBot | None, list[str], list[str]]:
    """`definition_problems` of the bot's rows."""
    if bot is None:
        return None, [_("No bot: choose or create one for this widget.")], []
    return definition_problems(compile_bot(bot))


def export_and_check(bot: Bot) -> tuple[dict[str, Any], list[str], list[str]]:
    """`export_bot` and `check_bot` of the bot together, from one compile of its rows."""
    raw = compile_bot(bot)
    loaded, errors, warnings = definition_problems(raw)
    return (raw if loaded is None else dump_bot(loaded)), errors, warnings
