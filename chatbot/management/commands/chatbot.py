"""`manage.py chatbot validate|export|import`: check and move bot definitions as YAML."""

from __future__ import annotations

from pathlib import Path

import yaml
from django.core.management.base import BaseCommand, CommandError

from chatbot.admin import bot_problems
from chatbot.engine import Severity, dump_bot, load_bot, validate
from chatbot.models import Widget


class Command(BaseCommand):
    help = "Validate, export or import chatbot definitions (YAML)."

    def add_arguments(self, parser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        check = sub.add_parser("validate", help="Exit non-zero when a definition has errors.")
        check.add_argument("--widget", help="Public key of one widget (default: all).")
        check.add_argument("--file", help="A bot definition YAML file instead of widgets.")
        export = sub.add_parser("export", help="Write a widget's bot as YAML.")
        export.add_argument("--widget", required=True)
        export.add_argument("--file", help="Output file (default: stdout).")
        load = sub.add_parser("import", help="Replace a widget's bot with a YAML file.")
        load.add_argument("--widget", required=True)
        load.add_argument("--file", required=True)

    def handle(self, *args, action: str, **options) -> None:
        getattr(self, f"_{action}")(**options)

    def _widget(self, key: str) -> Widget:
        widget = Widget.objects.filter(public_key=key).first()
        if widget is None:
            raise CommandError(f"No widget with key {key!r}.")
        return widget

    def _read(self, path: str) -> object:
        try:
            return yaml.safe_load(Path(path).read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError) as exc:
            raise CommandError(f"Cannot read {path}: {exc}") from exc

    def _validate(self, widget=None, file=None, **_options) -> None:
        if file:
            sources = [(file, self._read(file))]
        else:
            widgets = [self._widget(widget)] if widget else Widget.objects.all()
            sources = [(w.public_key, w.bot_definition) for w in widgets]
        failed = False
        for name, data in sources:
            bot, errors = bot_problems(data)
            warnings = (
                [str(i) for i in validate(bot) if i.severity != Severity.ERROR] if bot else []
            )
            for line in errors + warnings:
                self.stdout.write(f"{name}: {line}")
            failed = failed or bool(errors)
            self.stdout.write(f"{name}: {'ERRORS' if errors else 'ok'}")
        if failed:
            raise CommandError("The bot definition has errors.")

    def _export(self, widget=None, file=None, **_options) -> None:
        data = dump_bot(load_bot(self._widget(widget).bot_definition))
        text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
        if file:
            Path(file).write_text(text, encoding="utf-8")
        else:
            self.stdout.write(text)

    def _import(self, widget=None, file=None, **_options) -> None:
        target = self._widget(widget)
        bot, errors = bot_problems(self._read(file))
        if errors or bot is None:
            raise CommandError("Not imported:\n" + "\n".join(errors))
        target.bot_definition = dump_bot(bot)
        target.save(update_fields=["bot_definition", "updated_at"])
        self.stdout.write(f"Imported {file} into {target.public_key}.")
