"""Forms of the agent desk: bulk actions, ticket fields, the reply/note composer, references."""

from __future__ import annotations

from django import forms
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from helpdesk.forms import ModelChoiceField

from ..choices import active_agents, field_choices
from ..models import CannedResponse, MessageKind, Priority, Queue, Status, Ticket


class VersionedForm(forms.Form):
    """What the agent saw when the page was rendered: checked on every write."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    seen_message = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)
    seen_change = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data] if data else []
        return [super(MultipleFileField, self).clean(f, initial) for f in files]


class ComposeForm(VersionedForm):
    """A public reply or an internal note, optionally setting the status on send."""

    kind = forms.ChoiceField(
        label=_("Type"),
        choices=[
            (MessageKind.PUBLIC, _("Public reply")),
            (MessageKind.INTERNAL, _("Internal note")),
        ],
        initial=MessageKind.PUBLIC,
        widget=forms.RadioSelect,
    )
    body = forms.CharField(
        label=_("Message"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8, "data-desk-composer": ""}),
    )
    files = MultipleFileField(label=_("Attachments"), required=False)
    new_status = forms.ChoiceField(
        label=_("Then set status"),
        required=False,
        choices=[("", _("Unchanged")), *[c for c in Status.choices if c[0] != Status.NEW]],
    )
    canned = ModelChoiceField(
        label=_("Canned response"),
        required=False,
        queryset=CannedResponse.objects.all(),
        empty_label=_("Choose…"),
    )

    def __init__(self, *args, canned=(), **kwargs) -> None:
        kwargs.setdefault("auto_id", "compose_%s")
        super().__init__(*args, **kwargs)
        # Each option carries its filled-in text; desk.js inserts it at the cursor.
        self.canned_options = canned
        self.fields["canned"].queryset = CannedResponse.objects.filter(
            pk__in=[r.pk for r, _text in canned]
        )

    @property
    def is_internal(self) -> bool:
        return self.cleaned_data.get("kind") == MessageKind.INTERNAL


class FieldsForm(VersionedForm):
    """The ticket's own fields, submitted with the version the agent saw."""

    subject = forms.CharField(label=_("Subject"), max_length=250)
    status = forms.ChoiceField(label=_("Status"), choices=Status.choices)
    priority = forms.ChoiceField(label=_("Priority"), choices=Priority.choices)
    queue = ModelChoiceField(
        label=_("Queue"), queryset=Queue.objects.all(), required=False, empty_label=_("No queue")
    )
    assignee = ModelChoiceField(
        label=_("Assignee"), queryset=active_agents(), required=False, empty_label=_("Nobody")
    )
    tags = forms.CharField(
        label=_("Tags"), required=False, max_length=500, help_text=_("Separated by commas.")
    )

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("auto_id", "fields_%s")  # several forms share one page: unique ids
        super().__init__(*args, **kwargs)
        if not self.is_bound:  # shown, not validated: the cached choices spare two queries
            queues, agents = field_choices()
            self.fields["queue"].choices = [("", self.fields["queue"].empty_label), *queues]
            self.fields["assignee"].choices = [("", self.fields["assignee"].empty_label), *agents]

    @classmethod
    def for_ticket(cls, ticket: Ticket, **markers) -> FieldsForm:
        initial = {
            "subject": ticket.subject,
            "status": ticket.status,
            "priority": ticket.priority,
            "queue": ticket.queue_id,
            "assignee": ticket.assignee_id,
            "version": ticket.version,
            "tags": ", ".join(ticket.tag_names),  # read with the ticket (page_ticket)
            **markers,
        }
        return cls(initial=initial)

    def changes(self) -> dict:
        data = {k: self.cleaned_data[k] for k in ("subject", "status", "priority", "queue")}
        data["assignee"] = self.cleaned_data["assignee"]
        data["tags"] = [t.strip() for t in self.cleaned_data["tags"].split(",") if t.strip()]
        return data


class ReferenceForm(VersionedForm):
    """Another ticket, named by its reference (HD-123) or number."""

    reference = forms.CharField(label=_("Ticket reference"), max_length=30)

    def clean_reference(self) -> str:
        value = self.cleaned_data["reference"].strip().upper()
        if not value.removeprefix("HD-").isdigit():
            raise forms.ValidationError(_("Enter a reference like HD-123."))
        return value


class BulkForm(forms.Form):
    """One action for the tickets ticked in the list."""

    action = forms.ChoiceField(
        choices=[(a, a) for a in ("assign_me", "assign", "status", "priority", "tag", "close")]
    )
    assignee = ModelChoiceField(
        label=_("Assign to"), queryset=active_agents(), required=False, empty_label=_("Nobody")
    )
    status = forms.ChoiceField(label=_("Status"), choices=Status.choices, required=False)
    priority = forms.ChoiceField(label=_("Priority"), choices=Priority.choices, required=False)
    tag = forms.CharField(label=_("Tag"), max_length=50, required=False)
    ticket = forms.TypedMultipleChoiceField(coerce=int, required=False)

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("auto_id", "bulk_%s")
        super().__init__(*args, **kwargs)
        if not self.is_bound:  # shown, not validated: the cached choices spare a query
            assignee = self.fields["assignee"]
            assignee.choices = [("", assignee.empty_label), *field_choices()[1]]
        # Any number may be posted; visibility is checked by the service, not by the form.
        posted = self.data.getlist("ticket") if hasattr(self.data, "getlist") else []
        self.fields["ticket"].choices = [(v, v) for v in posted if str(v).isdigit()]

    def clean(self) -> dict:
        data = super().clean()
        action = data.get("action")
        if not data.get("ticket"):
            raise forms.ValidationError(_("Select at least one ticket."))
        if action in ("status", "priority") and not data.get(action):
            raise forms.ValidationError(_("Choose a value for this action."))
        if action == "tag":
            data["tag"] = slugify(data.get("tag", ""), allow_unicode=True)[:50]
            if not data["tag"]:
                raise forms.ValidationError(_("Enter a tag."))
        return data

    def service_arguments(self, user) -> tuple[str, object]:
        """(action, value) for bulk_update_tickets."""
        action = self.cleaned_data["action"]
        if action == "assign_me":
            return "assign", user
        if action in ("assign", "status", "priority", "tag"):
            return action, self.cleaned_data[action if action != "assign" else "assignee"]
        return action, None
