"""Per-language texts in admin: one labelled box per bot language instead of a JSON object.

Languages come from the bot (its `languages`), plus any language the value already holds, so
nothing stored is dropped by editing. Without a bot (an add page) the JSON box stays.
"""

from __future__ import annotations

from typing import Any

from django import forms

from chatbot.compiler import bot_languages

RTL = {"ar", "fa", "he", "ur"}


class TextsWidget(forms.MultiWidget):
    template_name = "chatbot/admin/texts_widget.html"

    def __init__(self, languages: list[str], rows: int = 2) -> None:
        self.languages = languages
        widgets = [
            forms.Textarea(
                attrs={
                    "rows": rows,
                    "cols": 60,
                    "lang": lang,
                    "dir": "rtl" if lang.split("-")[0] in RTL else "auto",
                }
            )
            for lang in languages
        ]
        super().__init__(widgets)

    def decompress(self, value: Any) -> list[str]:
        value = value if isinstance(value, dict) else {}
        return [str(value.get(lang, "")) for lang in self.languages]


class TextsField(forms.MultiValueField):
    """`{"en": "...", "fi": "..."}` from one box per language; empty boxes are left out."""

    def __init__(self, languages: list[str], rows: int = 2, **kwargs: Any) -> None:
        self.languages = languages
        fields = [forms.CharField(required=False, strip=True) for _ in languages]
        super().__init__(
            fields, widget=TextsWidget(languages, rows), require_all_fields=False, **kwargs
        )

    def compress(self, data_list: list[str]) -> dict[str, str]:
        pairs = zip(self.languages, data_list or [], strict=False)
        return {lang: text for lang, text in pairs if text}


def with_language_boxes(form_class: type, languages: list[str], names: list[str]) -> type:
    """A subclass of `form_class` editing the JSON texts fields `names` one box per language."""

    class Form(form_class):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            for name in names:
                if name not in self.fields:
                    continue
                current = getattr(self.instance, name, None)
                extra = list(current) if isinstance(current, dict) else []
                old = self.fields[name]
                self.fields[name] = TextsField(
                    list(dict.fromkeys([*languages, *extra])), label=old.label,
                    required=old.required, help_text=old.help_text,
                    rows=1 if name in ("label", "query") else 2,
                )  # fmt: skip

    Form.__name__ = form_class.__name__
    return Form


class LanguageBoxesInline:
    """Mixin for inlines: `text_fields` get one box per language of the parent's bot."""

    text_fields: list[str] = []

    def bot_of_parent(self, obj: Any) -> Any:
        raise NotImplementedError

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        bot = self.bot_of_parent(obj) if obj is not None else None
        languages = bot_languages(bot) if bot is not None else []
        if languages:
            formset.form = with_language_boxes(formset.form, languages, self.text_fields)
        return formset


class LanguageBoxesAdmin:
    """Mixin for model admins: `text_fields` get one box per language of the object's bot."""

    text_fields: list[str] = []

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        bot = self.bot_of(obj) if obj is not None else None
        languages = bot_languages(bot) if bot is not None else []
        return with_language_boxes(form, languages, self.text_fields) if languages else form
