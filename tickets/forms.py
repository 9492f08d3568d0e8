"""Customer-facing ticket forms: contact form, portal reply, rating, and fresh-link request."""

from __future__ import annotations

import uuid

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .services.core import BLOCKED_TYPE, MAX_BODY_CHARS, TOO_LARGE, attachment_problem

MAX_FILES = 5


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; each is checked here so the error names the file."""

    widget = MultipleFileInput

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None) -> list[UploadedFile]:
        files = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        if len(files) > MAX_FILES:
            raise forms.ValidationError(
                ngettext(
                    "Attach at most %(n)d file.", "Attach at most %(n)d files.", MAX_FILES
                ) % {"n": MAX_FILES}
            )  # fmt: skip
        errors = [error for upload in files if (error := _file_error(upload))]
        if errors:
            raise forms.ValidationError(errors)
        return files


def _file_error(upload: UploadedFile) -> str:
    name = upload.name or "file"
    problem = attachment_problem(name, upload.size)
    if problem == TOO_LARGE:
        return _("“%(name)s” is %(size)s; files can be at most %(limit)s.") % {
            "name": name,
            "size": filesizeformat(upload.size),
            "limit": filesizeformat(settings.MAX_ATTACHMENT_BYTES),
        }
    if problem == BLOCKED_TYPE:
        return _("“%(name)s”: this kind of file cannot be attached.") % {"name": name}
    return ""


def attachments_field() -> MultipleFileField:
    return MultipleFileField(
        label=_("Attachments (optional)"),
        help_text=_("Screenshots or documents, up to %(limit)s each.")
        % {"limit": filesizeformat(settings.MAX_ATTACHMENT_BYTES)},
    )


class ContactForm(forms.Form):
    """The public "send us a message" form; only these fields ever reach the ticket."""

    name = forms.CharField(label=_("Your name"), max_length=200)
    email = forms.EmailField(label=_("Your email address"), max_length=254)
    subject = forms.CharField(label=_("Subject"), max_length=250)
    message = forms.CharField(
        label=_("How can we help?"), max_length=MAX_BODY_CHARS, widget=forms.Textarea
    )
    attachments = attachments_field()
    # Honeypot: hidden from people by CSS, filled in by naive bots.
    website = forms.CharField(label=_("Leave this field empty"), required=False)
    # One id per rendered form: a double-click or a resent POST finds the first ticket.
    form_id = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("form_id", uuid.uuid4())
        super().__init__(*args, **kwargs)

    @property
    def is_bot(self) -> bool:
        return bool(self.data.get("website"))


class ReplyForm(forms.Form):
    message = forms.CharField(
        label=_("Your reply"), max_length=MAX_BODY_CHARS, widget=forms.Textarea
    )
    attachments = attachments_field()


class RatingForm(forms.Form):
    rating = forms.ChoiceField(
        label=_("How did we do?"),
        choices=[("good", _("Good, I’m satisfied")), ("bad", _("Bad, I’m not satisfied"))],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Tell us more (optional)"), max_length=2000, required=False, widget=forms.Textarea
    )


class LinkRequestForm(forms.Form):
    email = forms.EmailField(label=_("Your email address"), max_length=254)
    reference = forms.CharField(
        label=_("Request reference"),
        max_length=20,
        help_text=_("It is in the subject of our emails, for example HD-1234."),
    )
