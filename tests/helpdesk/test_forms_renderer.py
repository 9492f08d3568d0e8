"""Widgets render through Jinja2 with the same HTML; other templates stay with Django."""

from __future__ import annotations

import re

from django import forms
from django.forms.renderers import DjangoTemplates, get_default_renderer
from django.template.backends.django import Template as DjangoTemplate
from django.template.backends.jinja2 import Template as JinjaTemplate

from helpdesk.forms_renderer import FastFormRenderer


class Sample(forms.Form):
    name = forms.CharField(label="Name", max_length=20, help_text="Your name")
    colour = forms.ChoiceField(label="Colour", choices=[("r", "Red <b>"), ("g", "Green")])
    kind = forms.ChoiceField(choices=[("a", "A"), ("b", "B")], widget=forms.RadioSelect)
    note = forms.CharField(widget=forms.Textarea, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)


def _squash(html: str) -> str:
    return re.sub(r">\s+<", "><", re.sub(r"\s+", " ", str(html))).strip()


def test_the_project_uses_the_fast_renderer():
    assert isinstance(get_default_renderer(), FastFormRenderer)


def test_django_widget_templates_come_from_jinja2_and_the_rest_from_django():
    renderer = FastFormRenderer()
    assert isinstance(renderer.get_template("django/forms/widgets/select.html"), JinjaTemplate)
    admin = renderer.get_template("admin/widgets/related_widget_wrapper.html")
    assert isinstance(admin, DjangoTemplate)


def test_a_bound_form_with_errors_renders_the_same_html_as_django_templates():
    data = {"name": "x" * 30, "colour": "r", "kind": "b", "version": "nope"}
    fast = Sample(data, renderer=FastFormRenderer())
    slow = Sample(data, renderer=DjangoTemplates())
    assert not fast.is_valid() and not slow.is_valid()
    assert _squash(fast.as_div()) == _squash(slow.as_div())
    assert "Red &lt;b&gt;" in str(fast["colour"])  # still escaped


class OptionWithTitle(forms.Select):
    """A widget with its own option template must still get it (not the inlined option)."""

    option_template_name = "django/forms/widgets/input.html"


class Selects(forms.Form):
    grouped = forms.MultipleChoiceField(
        choices=[("Fruit", [("a", "Apple"), ("p", "Pear <i>")]), ("x", "Other")],
        initial=["a", "x"],
    )
    plain = forms.ChoiceField(choices=[("", "—"), ("1", "One")], initial="1", required=False)
    custom = forms.ChoiceField(choices=[("1", "One")], widget=OptionWithTitle)


def test_selects_with_groups_selection_and_custom_options_render_as_with_django():
    fast = Selects(renderer=FastFormRenderer())
    slow = Selects(renderer=DjangoTemplates())
    for name in ("grouped", "plain", "custom"):
        assert _squash(fast[name]) == _squash(slow[name]), name
    assert '<optgroup label="Fruit">' in str(fast["grouped"]) and "Pear &lt;i&gt;" in str(
        fast["grouped"]
    )
    assert '<option value="1" selected>One</option>' in str(fast["plain"])
