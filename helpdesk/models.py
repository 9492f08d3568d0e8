"""Core models: the user (email login, roles) and the append-only event log."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    CUSTOMER = "customer", _("Customer")
    AGENT = "agent", _("Agent")
    ADMIN = "admin", _("Administrator")


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **fields) -> User:
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields) -> User:
        fields.update(role=Role.ADMIN, is_staff=True, is_superuser=True)
        return self.create_user(email, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in: a customer, an agent or an administrator; email is the login."""

    email = models.EmailField(_("email address"), unique=True)
    name = models.CharField(_("name"), max_length=150, blank=True)
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.CUSTOMER)
    language = models.CharField(
        _("language"), max_length=16, choices=settings.LANGUAGES, blank=True
    )
    time_zone = models.CharField(_("time zone"), max_length=64, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    # Kept as a field (not derived from role) so an agent can be granted admin access to,
    # say, the knowledge base through Django's permissions.
    is_staff = models.BooleanField(_("staff status"), default=False)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_ci_unique"),
        ]

    def __str__(self) -> str:
        return self.name or self.email

    def get_full_name(self) -> str:
        return self.name or self.email

    def get_short_name(self) -> str:
        return (self.name or self.email).split(" ")[0]

    @property
    def is_agent(self) -> bool:
        """Agents and admins work tickets in the agent desk."""
        return self.is_active and (self.role in (Role.AGENT, Role.ADMIN) or self.is_superuser)

    @property
    def is_helpdesk_admin(self) -> bool:
        return self.is_active and (self.role == Role.ADMIN or self.is_superuser)

    @property
    def is_customer(self) -> bool:
        return self.role == Role.CUSTOMER


class EventQuerySet(models.QuerySet):
    def between(self, start, end) -> EventQuerySet:
        return self.filter(occurred_at__gte=start, occurred_at__lt=end)

    def of_kind(self, *kinds: str) -> EventQuerySet:
        return self.filter(kind__in=kinds)


class Event(models.Model):
    """One thing that happened (article viewed, bot escalated, ticket solved...): append-only.

    `contact_id` is a plain column, not a foreign key: the core app sits below `customers`
    and must not depend on it; merging contacts rewrites it in one UPDATE.
    """

    kind = models.CharField(max_length=64)
    occurred_at = models.DateTimeField(default=timezone.now)
    visitor_id = models.CharField(max_length=64, blank=True, default="")
    session_id = models.CharField(max_length=64, blank=True, default="")
    contact_id = models.BigIntegerField(null=True, blank=True)
    language = models.CharField(max_length=16, blank=True, default="")
    data = models.JSONField(default=dict, blank=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        indexes = [
            # Roll-ups scan a time range, usually for a few kinds.
            models.Index(fields=["occurred_at"], name="event_time_idx"),
            models.Index(fields=["kind", "occurred_at"], name="event_kind_time_idx"),
            models.Index(fields=["contact_id", "occurred_at"], name="event_contact_time_idx"),
            models.Index(fields=["session_id"], name="event_session_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} at {self.occurred_at:%Y-%m-%d %H:%M:%S}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None and not self._state.adding:
            raise ValueError("Events are append-only; record a new event instead.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Events are append-only and are never deleted one by one.")
