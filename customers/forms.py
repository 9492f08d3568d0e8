"""Desk forms: contact filters, a segment's name, merge, import upload, profile edit."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from helpdesk.forms import ModelChoiceField

from .models import AttributeTarget, ContactTag, Organisation, Segment


class ContactFilterForm(forms.Form):
    q = forms.CharField(label=_("Name or email"), required=False, max_length=200)
    organisation = ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.all(), required=False
    )
    tag = ModelChoiceField(
        label=_("Tag"), queryset=ContactTag.objects.all(), required=False, to_field_name="name"
    )
    language = forms.ChoiceField(
        label=_("Language"), choices=[("", _("Any")), *settings.LANGUAGES], required=False
    )
    has_account = forms.ChoiceField(
        label=_("Portal account"),
        choices=[("", _("Any")), ("1", _("Has an account")), ("0", _("No account"))],
        required=False,
    )
    attribute = forms.CharField(
        label=_("Attribute (key=value)"),
        required=False,
        max_length=200,
        help_text=_("For example plan=gold"),
    )
    segment = ModelChoiceField(label=_("Segment"), queryset=Segment.objects.all(), required=False)


class SegmentForm(forms.Form):
    name = forms.CharField(label=_("Segment name"), max_length=100)


class MergeForm(forms.Form):
    source = forms.CharField(
        label=_("Duplicate's email address or id"),
        max_length=254,
        help_text=_("Its tickets, chats and history move into this contact; it is then removed."),
    )


class ContactEditForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    language = forms.ChoiceField(
        label=_("Language"), choices=[("", "—"), *settings.LANGUAGES], required=False
    )
    time_zone = forms.CharField(label=_("Time zone"), max_length=64, required=False)
    organisation = ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.all(), required=False
    )
    tags = forms.CharField(label=_("Tags (comma-separated)"), required=False, max_length=500)
    notes = forms.CharField(
        label=_("Notes"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )


class ImportForm(forms.Form):
    kind = forms.ChoiceField(label=_("Import"), choices=AttributeTarget.choices)
    file = forms.FileField(label=_("CSV file (UTF-8, first row names the columns)"))
