"""`manage.py chatbot validate|export|import`: check bots stored as rows and move them as YAML."""

from __future__ import annotations

from pathlib import Path

import yaml
from django.core.management.base import BaseCommand, CommandError

from chatbot.authoring import (
    check_bot,
    definition_problems,
    export_bot,
    import_bot,
    import_widget_bot,
    unique_slug,
)
from chatbot.engine import SchemaError
from chatbot.models import Bot, Widget


def _target_arguments(parser, *, required: bool) -> None:
    group = parser.add_mutually_exclusive_group(required=required)
    group.add_argument("--widget", help="Public key of a widget: its bot.")
    group.add_argument("--bot", help="Slug of a bot.")


class Command(BaseCommand):
    help = "Validate, export or import chatbot bots (stored as rows; exchanged as YAML)."

    def add_arguments(self, parser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        check = sub.add_parser("validate", help="Exit non-zero when a bot has errors.")
        _target_arguments(check, required=False)
        check.add_argument("--file", help="Check a YAML file instead of bots in the database.")
        export = sub.add_parser("export", help="Write a bot as YAML.")
        _target_arguments(export, required=True)
        export.add_argument("--file", help="Output file (default: stdout).")
        load = sub.add_parser("import", help="Replace a bot's rows with a YAML file.")
        _target_arguments(load, required=True)
        load.add_argument("--file", required=True)
        load.add_argument("--create", action="store_true", help="Create the --bot if missing.")

    def handle(self, *args, action: str, **options) -> None:
        getattr(self, f"_{action}")(**options)

    def _widget(self, key: str) -> Widget:
        widget = Widget.objects.select_related("bot").filter(public_key=key).first()
        if widget is None:
            raise CommandError(f"No widget with key {key!r}.")
        return widget

    def _bot(self, widget: str | None, bot: str | None) -> Bot:
        if widget:
            found = self._widget(widget).bot
            if found is None:
                raise CommandError(f"Widget {widget!r} has no bot; import one first.")
            return found
        row = Bot.objects.filter(slug=bot).first()
        if row is None:
            raise CommandError(f"No bot with slug {bot!r}.")
        return row

    def _read(self, path: str) -> object:
        try:
            return yaml.safe_load(Path(path).read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError) as exc:
            raise CommandError(f"Cannot read {path}: {exc}") from exc

    def _report(self, name: str, errors: list[str], warnings: list[str]) -> bool:
        for line in errors + warnings:
            self.stdout.write(f"{name}: {line}")
        self.stdout.write(f"{name}: {'ERRORS' if errors else 'ok'}")
        return bool(errors)

    def _validate(self, widget=None, bot=None, file=None, **_options) -> None:
        if file:
            failed = self._report(file, *definition_problems(self._read(file))[1:])
        else:
            rows = [self._bot(widget, bot)] if widget or bot else list(Bot.objects.all())
            failed = False
            for row in rows:
                _, errors, warnings = check_bot(row)
                failed = self._report(row.slug, errors, warnings) or failed
        if failed:
            raise CommandError("The bot has errors.")

    def _export(self, widget=None, bot=None, file=None, **_options) -> None:
        data = export_bot(bot=self._bot(widget, bot))
        text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)
        if file:
            Path(file).write_text(text, encoding="utf-8")
        else:
            self.stdout.write(text)

    def _import(self, widget=None, bot=None, file=None, create=False, **_options) -> None:
        data = self._read(file)
        try:
            if widget:
                row, changed = import_widget_bot(widget=self._widget(widget), data=data)
            else:
                row = Bot.objects.filter(slug=bot).first()
                if row is None and create:
                    row = Bot.objects.create(slug=unique_slug(bot), name=bot)
                changed = import_bot(bot=row or self._bot(None, bot), data=data)
        except SchemaError as exc:
            raise CommandError("Not imported:\n" + "\n".join(exc.errors)) from exc
        verb = "Imported" if changed else "Unchanged (already identical):"
        self.stdout.write(f"{verb} {file} into bot {row.slug}.")
