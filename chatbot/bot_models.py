"""A bot stored as rows: intents with their phrases, synonyms and flows of steps with options.

`chatbot.compiler` turns these rows into the plain dict the pure engine loads (`load_bot`), and
writes them from such a dict (YAML import, the demo, the data migration). Per-language texts are
JSON objects `{"en": "...", "fi": "..."}`; a language `*` in a phrase row means every language.
"""

from __future__ import annotations

import secrets

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from chatbot.engine.flow import SlotKind, StepKind
from chatbot.engine.matcher import ANY_LANGUAGE


def new_version() -> str:
    return secrets.token_hex(8)


def texts_problem(value: object) -> str | None:
    """Why `value` is not per-language texts `{"en": "Hi", "fi": "Hei"}`, or None."""
    if not isinstance(value, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in value.items()
    ):
        return str(_('Give texts per language, e.g. {"en": "Hello", "fi": "Hei"}.'))
    return None


def lists_problem(value: object) -> str | None:
    """Why `value` is not per-language lists `{"en": ["a", "b"]}` (or one list), or None."""
    lists = value.values() if isinstance(value, dict) else [value]
    if not all(isinstance(v, list) and all(isinstance(i, str) for i in v) for v in lists):
        return str(_('Give lists per language, e.g. {"en": ["no email"]}, or one list.'))
    return None


def check_json(checks: dict[str, object]) -> None:
    """Raise one ValidationError naming every JSON field whose shape is wrong."""
    errors = {name: problem for name, problem in checks.items() if problem}
    if errors:
        raise ValidationError(errors)


class Bot(models.Model):
    """One bot; widgets point at it. `version` changes on every edit (the compile cache key)."""

    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    name = models.CharField(_("name"), max_length=200)
    default_language = models.CharField(_("default language"), max_length=16, default="en")
    languages = models.JSONField(
        _("languages"), default=list, blank=True, help_text=_('e.g. ["en", "fi", "ar", "zh-hans"]')
    )
    start_flow = models.CharField(_("start flow"), max_length=100, blank=True)
    handoff_flow = models.CharField(_("hand-off flow"), max_length=100, blank=True)
    handoff_queue = models.CharField(_("hand-off queue (slug)"), max_length=100, blank=True)
    menu = models.JSONField(
        _("menu"), default=list, blank=True, help_text=_("Intent names offered as quick replies.")
    )
    texts = models.JSONField(
        _("system texts"), default=dict, blank=True,
        help_text=_('Overrides of built-in texts: {"greeting": {"en": "Hi!", "fi": "Hei!"}}'),
    )  # fmt: skip
    handoff_phrases = models.JSONField(
        _("extra hand-off phrases"), default=dict, blank=True,
        help_text=_('Per language: {"en": ["a human please"]}, or a list for every language.'),
    )  # fmt: skip
    version = models.CharField(max_length=16, default=new_version, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("bot")
        verbose_name_plural = _("bots")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        languages = self.languages
        is_list = isinstance(languages, list) and all(isinstance(x, str) for x in languages)
        menu_ok = isinstance(self.menu, list) and all(isinstance(x, str) for x in self.menu)
        texts_ok = isinstance(self.texts, dict) and not any(
            texts_problem(v) for v in self.texts.values()
        )
        check_json({
            "languages": None if is_list else _('A list of language codes, e.g. ["en", "fi"].'),
            "menu": None if menu_ok else _("A list of intent names."),
            "texts": None if texts_ok else _('e.g. {"greeting": {"en": "Hi!"}}'),
            "handoff_phrases": lists_problem(self.handoff_phrases or {}),
        })  # fmt: skip


class Intent(models.Model):
    """Something a visitor wants; matching one starts its flow."""

    bot = models.ForeignKey(Bot, on_delete=models.CASCADE, related_name="intents")
    name = models.SlugField(_("name"), max_length=100)
    flow = models.CharField(
        _("flow"), max_length=100, blank=True, help_text=_("Empty: the flow named like the intent.")
    )
    label = models.JSONField(
        _("label"), default=dict, blank=True, help_text=_('Quick-reply text: {"en": "Returns"}')
    )
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["bot", "name"], name="chatbot_intent_name_unique")
        ]
        verbose_name = _("intent")
        verbose_name_plural = _("intents")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        check_json({"label": texts_problem(self.label)})


class PhraseKind(models.TextChoices):
    PHRASE = "phrase", _("Phrase")
    KEYWORD = "keyword", _("Keyword (trailing * matches a prefix)")
    PATTERN = "pattern", _("Regular expression")


class IntentPhrase(models.Model):
    """A phrase, keyword or regular expression that points to an intent in one language."""

    intent = models.ForeignKey(Intent, on_delete=models.CASCADE, related_name="phrases")
    kind = models.CharField(_("kind"), max_length=16, choices=PhraseKind.choices)
    language = models.CharField(
        _("language"), max_length=16, default=ANY_LANGUAGE, help_text=_("* = every language")
    )
    text = models.CharField(_("text"), max_length=500)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("phrase")
        verbose_name_plural = _("phrases, keywords and patterns")

    def __str__(self) -> str:
        return f"{self.kind} {self.language}: {self.text}"


class Synonym(models.Model):
    """`word` is read as `replacement` before matching: for the whole bot or one intent."""

    bot = models.ForeignKey(Bot, on_delete=models.CASCADE, related_name="synonyms")
    intent = models.ForeignKey(
        Intent, on_delete=models.CASCADE, null=True, blank=True, related_name="synonyms"
    )
    language = models.CharField(_("language"), max_length=16)
    word = models.CharField(_("word"), max_length=200)
    replacement = models.CharField(_("read as"), max_length=200)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("synonym")
        verbose_name_plural = _("synonyms")

    def __str__(self) -> str:
        return f"{self.language}: {self.word} → {self.replacement}"


class Flow(models.Model):
    """A graph of steps; targets name a step of the same flow, `flow:step` or `flow:`."""

    bot = models.ForeignKey(Bot, on_delete=models.CASCADE, related_name="flows")
    key = models.SlugField(_("flow id"), max_length=100)
    start = models.CharField(
        _("start step"), max_length=100, blank=True, help_text=_("Empty: the first step.")
    )
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [models.UniqueConstraint(fields=["bot", "key"], name="chatbot_flow_unique")]
        verbose_name = _("flow")
        verbose_name_plural = _("flows")

    def __str__(self) -> str:
        return self.key


class FlowStep(models.Model):
    """One step; which fields matter depends on `kind` (see docs of the bot schema)."""

    flow = models.ForeignKey(Flow, on_delete=models.CASCADE, related_name="steps")
    key = models.SlugField(_("step id"), max_length=100)
    kind = models.CharField(
        _("kind"), max_length=16, choices=[(k.value, k.value) for k in StepKind]
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    text = models.JSONField(_("text"), default=dict, blank=True)
    error = models.JSONField(_("error text"), default=dict, blank=True)
    query = models.JSONField(_("article search query"), default=dict, blank=True)
    next_step = models.CharField(_("next"), max_length=200, blank=True)
    slot = models.CharField(_("slot"), max_length=100, blank=True)
    check_kind = models.CharField(
        _("validate as"), max_length=16, blank=True,
        choices=[(k.value, k.value) for k in SlotKind], help_text=_("Ask steps only."),
    )  # fmt: skip
    check_pattern = models.CharField(_("pattern"), max_length=500, blank=True)
    check_transform = models.CharField(
        _("transform"), max_length=8, blank=True, choices=[("upper", "upper"), ("lower", "lower")]
    )
    check_min_length = models.PositiveIntegerField(_("minimum length"), default=1)
    max_tries = models.PositiveIntegerField(_("tries before offering a person"), default=3)
    limit = models.PositiveIntegerField(_("articles shown"), default=3)
    empty_next = models.CharField(_("next when no article"), max_length=200, blank=True)
    yes_next = models.CharField(_("next after yes"), max_length=200, blank=True)
    no_next = models.CharField(_("next after no"), max_length=200, blank=True)
    branch_on = models.CharField(
        _("branch on"), max_length=100, blank=True, help_text=_("'hours' or a slot name.")
    )
    cases = models.JSONField(
        _("cases"), default=dict, blank=True, help_text=_('{"open": "connect", "closed": "ask"}')
    )
    default_next = models.CharField(_("default"), max_length=200, blank=True)
    queue = models.CharField(_("queue (slug)"), max_length=100, blank=True)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["flow", "key"], name="chatbot_flowstep_unique")
        ]
        verbose_name = _("step")
        verbose_name_plural = _("steps")

    def __str__(self) -> str:
        return f"{self.flow_id}:{self.key}"

    def clean(self) -> None:
        super().clean()
        cases_ok = isinstance(self.cases, dict) and all(
            isinstance(v, str) for v in self.cases.values()
        )
        check_json({
            "text": texts_problem(self.text), "error": texts_problem(self.error),
            "query": texts_problem(self.query),
            "cases": None if cases_ok else _('Map a value to a step: {"open": "connect"}.'),
        })  # fmt: skip


class StepOption(models.Model):
    """A quick reply of an options step, or an accepted choice of an `ask` step (is_choice)."""

    step = models.ForeignKey(FlowStep, on_delete=models.CASCADE, related_name="options")
    is_choice = models.BooleanField(
        _("slot choice"), default=False, help_text=_("A choice of an ask step, not a quick reply.")
    )
    label = models.JSONField(_("label"), default=dict)
    next_step = models.CharField(_("next"), max_length=200, blank=True)
    value = models.CharField(_("stored value"), max_length=200, blank=True)
    aliases = models.JSONField(
        _("aliases"), default=dict, blank=True, help_text=_('{"en": ["no email"]}')
    )
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("option")
        verbose_name_plural = _("options")

    def __str__(self) -> str:
        return str(next(iter(self.label.values()), "")) if isinstance(self.label, dict) else ""

    def clean(self) -> None:
        super().clean()
        check_json({
            "label": texts_problem(self.label) or (None if self.label else _("Give a label.")),
            "aliases": lists_problem(self.aliases) if self.aliases else None,
        })  # fmt: skip
