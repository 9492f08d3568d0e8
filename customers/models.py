"""Customers: contacts (several addresses, tags, attributes), organisations, segments, audit."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class AttributeTarget(models.TextChoices):
    CONTACT = "contact", _("Contact")
    ORGANISATION = "organisation", _("Organisation")


class AttributeType(models.TextChoices):
    TEXT = "text", _("Text")
    NUMBER = "number", _("Number")
    DATE = "date", _("Date")
    CHOICE = "choice", _("Choice")


class AttributeDefinition(models.Model):
    """An admin-defined custom field of contacts or organisations (plan, purchases, ...)."""

    target = models.CharField(_("applies to"), max_length=16, choices=AttributeTarget.choices)
    key = models.SlugField(_("key"), max_length=50, help_text=_("Used in the API and CSV files."))
    label = models.CharField(_("label"), max_length=100)
    type = models.CharField(_("type"), max_length=16, choices=AttributeType.choices)
    choices = models.JSONField(
        _("choices"), default=list, blank=True, help_text=_("For choice attributes: the values.")
    )
    is_required = models.BooleanField(_("required"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["target", "label"]
        verbose_name = _("attribute definition")
        verbose_name_plural = _("attribute definitions")
        constraints = [models.UniqueConstraint(fields=["target", "key"], name="uniq_attribute_key")]

    def __str__(self) -> str:
        return f"{self.get_target_display()}: {self.label}"


class Organisation(models.Model):
    name = models.CharField(_("name"), max_length=200)
    domains = models.JSONField(
        _("email domains"),
        default=list,
        blank=True,
        help_text=_("Contacts whose address ends in one of these domains join automatically."),
    )
    notes = models.TextField(_("notes"), blank=True)
    attributes = models.JSONField(_("attributes"), default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        # One spelling wherever domains come from (admin, API, import): "@Example.COM " and
        # "example.com" are the same domain, listed once.
        if isinstance(self.domains, list):
            self.domains = list(dict.fromkeys(filter(None, map(normalise_domain, self.domains))))
        super().save(*args, **kwargs)


def normalise_domain(value) -> str:
    """An email domain as organisations list it and addresses are matched: "example.com"."""
    return str(value).strip().lower().lstrip("@")


class ContactTag(models.Model):
    name = models.SlugField(_("name"), max_length=50, unique=True, allow_unicode=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("contact tag")
        verbose_name_plural = _("contact tags")

    def __str__(self) -> str:
        return self.name


class ContactQuerySet(models.QuerySet):
    def active(self) -> ContactQuerySet:
        return self.filter(erased_at__isnull=True)


class Contact(models.Model):
    """A customer, known by email; linked to a user account when they sign in to the portal."""

    name = models.CharField(_("name"), max_length=200, blank=True)
    email = models.EmailField(_("email address"))
    organisation = models.ForeignKey(
        Organisation, on_delete=models.SET_NULL, null=True, blank=True, related_name="contacts"
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contact",
    )
    language = models.CharField(
        _("language"), max_length=16, choices=settings.LANGUAGES, blank=True
    )
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    time_zone = models.CharField(_("time zone"), max_length=64, blank=True)
    tags = models.ManyToManyField(ContactTag, blank=True, related_name="contacts")
    notes = models.TextField(_("notes"), blank=True)
    attributes = models.JSONField(_("attributes"), default=dict, blank=True)
    erased_at = models.DateTimeField(_("erased at"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ContactQuerySet.as_manager()

    class Meta:
        ordering = ["name", "email"]
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        constraints = [models.UniqueConstraint(Lower("email"), name="contact_email_ci_unique")]
        indexes = [
            models.Index(fields=["-created_at", "-id"], name="contact_created_idx"),
            models.Index(fields=["organisation", "name"], name="contact_org_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>" if self.name else self.email

    def get_absolute_url(self) -> str:
        return reverse("desk-contact", kwargs={"pk": self.pk})

    @property
    def display_name(self) -> str:
        return self.name or self.email.split("@")[0]

    @property
    def is_erased(self) -> bool:
        return self.erased_at is not None


class ContactEmail(models.Model):
    """A further address of a contact (the main one is Contact.email); unique across contacts."""

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="other_emails")
    email = models.EmailField(_("email address"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["email"]
        verbose_name = _("contact email address")
        verbose_name_plural = _("contact email addresses")
        constraints = [
            models.UniqueConstraint(Lower("email"), name="contact_other_email_ci_unique")
        ]

    def __str__(self) -> str:
        return self.email


class ContactIdentity(models.Model):
    """A verified identity on another channel (a shop's signed widget user id) → one contact."""

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="identities")
    source = models.CharField(max_length=64, help_text="e.g. widget:<public key>")
    external_id = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["source", "external_id"], name="uniq_identity")
        ]

    def __str__(self) -> str:
        return f"{self.source}:{self.external_id}"


class Segment(models.Model):
    """A saved contact search: the same filters as the contact list (q, tag, organisation...)."""

    name = models.CharField(_("name"), max_length=100)
    filters = models.JSONField(_("filters"), default=dict)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("segment")
        verbose_name_plural = _("segments")

    def __str__(self) -> str:
        return self.name


class AuditAction(models.TextChoices):
    EXPORT = "export", _("Privacy export")
    ERASE = "erase", _("Erase")
    MERGE = "merge", _("Merge")
    IMPORT = "import", _("Import")


class AuditLog(models.Model):
    """Who exported, erased, merged or imported whom, and when. Holds ids, never personal data."""

    action = models.CharField(max_length=16, choices=AuditAction.choices)
    contact_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    detail = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("audit log entry")
        verbose_name_plural = _("audit log")

    def __str__(self) -> str:
        return f"{self.action} {self.contact_id} at {self.created_at:%Y-%m-%d %H:%M}"


class ImportStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class ImportJob(models.Model):
    """A CSV import run by Celery in batches; progress and a per-row error report."""

    kind = models.CharField(max_length=16, choices=AttributeTarget.choices)
    file = models.FileField(upload_to="customers/imports/", max_length=200)
    status = models.CharField(
        max_length=16, choices=ImportStatus.choices, default=ImportStatus.PENDING
    )
    total_rows = models.PositiveIntegerField(default=0)
    # Rows done so far, committed with each batch: a restarted task resumes after them.
    processed_rows = models.PositiveIntegerField(default=0)
    created_count = models.PositiveIntegerField(default=0)
    updated_count = models.PositiveIntegerField(default=0)
    error_count = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True, help_text="First 1,000 row errors.")
    message = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")

    def __str__(self) -> str:
        return f"{self.kind} import {self.pk} ({self.status})"

    @property
    def percent(self) -> int:
        return int(100 * self.processed_rows / self.total_rows) if self.total_rows else 0
