"""Help-center forms: search and the "Was this helpful?" vote."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .models import Vote

REASON_CHOICES = [
    ("unclear", _("It was hard to understand")),
    ("incomplete", _("It did not answer my question")),
    ("outdated", _("It is out of date")),
    ("wrong", _("Something in it is wrong")),
    ("other", _("Something else")),
]


class VoteForm(forms.Form):
    value = forms.ChoiceField(choices=Vote.choices)
    reason = forms.ChoiceField(choices=REASON_CHOICES, required=False)
    comment = forms.CharField(max_length=1000, required=False, widget=forms.Textarea)


class SearchForm(forms.Form):
    """Search parameters from the URL; long queries are trimmed later, absurd pages refused."""

    q = forms.CharField(required=False, max_length=10_000, strip=True)
    page = forms.IntegerField(required=False, min_value=1, max_value=10)
    category = forms.SlugField(required=False, max_length=80)
    in_language = forms.ChoiceField(
        required=False, choices=[("", _("All languages")), *settings.LANGUAGES]
    )
