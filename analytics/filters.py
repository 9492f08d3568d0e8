"""The dashboard's filters (date range, language, channel, queue) as a GET form and a value."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tickets.models import Channel, Queue

DEFAULT_DAYS = 30
MAX_DAYS = 366 * 2


@dataclass(frozen=True)
class Filters:
    start: date
    end: date  # inclusive
    language: str = ""
    channel: str = ""
    queue: int | None = None

    @classmethod
    def default(cls) -> Filters:
        today = timezone.now().date()
        return cls(start=today - timedelta(days=DEFAULT_DAYS - 1), end=today)


class FilterForm(forms.Form):
    start = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    language = forms.ChoiceField(label=_("Language"), required=False)
    channel = forms.ChoiceField(label=_("Channel"), required=False)
    queue = forms.TypedChoiceField(label=_("Queue"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        everything = [("", _("All"))]
        self.fields["language"].choices = everything + list(settings.LANGUAGES)
        self.fields["channel"].choices = everything + list(Channel.choices)
        queues = [(str(q.pk), q.name) for q in Queue.objects.order_by("name")]
        self.fields["queue"].choices = everything + queues

    def clean(self) -> dict:
        data = super().clean()
        default = Filters.default()
        start, end = data.get("start") or None, data.get("end") or None
        end = end or default.end
        start = start or end - timedelta(days=DEFAULT_DAYS - 1)
        if start > end:
            raise forms.ValidationError(_("The start date is after the end date."))
        if (end - start).days >= MAX_DAYS:
            raise forms.ValidationError(_("Choose a period of at most two years."))
        data["start"], data["end"] = start, end
        return data

    def filters(self) -> Filters:
        """The valid filters, or the default period when the form has errors."""
        if not self.is_valid():
            return Filters.default()
        d = self.cleaned_data
        return Filters(
            d["start"], d["end"], d.get("language") or "", d.get("channel") or "", d.get("queue")
        )
