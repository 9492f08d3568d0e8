"""Customers: contacts and organisations (minimal here; the customer-database issue enriches)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _


class Organisation(models.Model):
    name = models.CharField(_("name"), max_length=200)
    domains = models.JSONField(
        _("email domains"),
        default=list,
        blank=True,
        help_text=_("Contacts whose address ends in one of these domains join automatically."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name


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
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "email"]
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        constraints = [models.UniqueConstraint(Lower("email"), name="contact_email_ci_unique")]

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>" if self.name else self.email

    @property
    def display_name(self) -> str:
        return self.name or self.email.split("@")[0]
