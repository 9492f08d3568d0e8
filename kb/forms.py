"""Help-center forms: the "Was this helpful?" vote."""

from django import forms
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
