"""Form rendering: Django's own widget templates through Jinja2, everything else as usual.

Django renders every widget (and each option of a select) through its template engine; on the
desk's ticket page that was about a third of the time spent building the page. Django ships
the same widget templates for Jinja2, which compiles them to Python functions. A template only
the Django engine has (admin widgets, our own widget templates) falls back to it, so the admin
and custom widgets are unchanged. `helpdesk/form_templates/` overrides a few of Django's Jinja2
widget templates with faster ones that write the same HTML (tested against Django's renderer).
"""

from __future__ import annotations

from pathlib import Path

import django.forms
from django.forms.renderers import BaseRenderer, DjangoTemplates, Jinja2
from django.template import TemplateDoesNotExist
from django.utils.functional import cached_property

OVERRIDES = Path(__file__).parent / "form_templates"


class _WidgetJinja2(Jinja2):
    """Django's Jinja2 widget templates, after our overrides."""

    @cached_property
    def engine(self):
        dirs = [OVERRIDES, Path(django.forms.__file__).parent / self.backend.app_dirname]
        return self.backend({"APP_DIRS": False, "DIRS": dirs, "NAME": "widgets", "OPTIONS": {}})


class FastFormRenderer(BaseRenderer):
    @cached_property
    def _jinja(self) -> Jinja2:
        return _WidgetJinja2()

    @cached_property
    def _django(self) -> DjangoTemplates:
        return DjangoTemplates()

    def get_template(self, template_name: str):
        if template_name.startswith("django/forms/"):
            try:
                return self._jinja.get_template(template_name)
            except TemplateDoesNotExist:
                pass
        return self._django.get_template(template_name)
