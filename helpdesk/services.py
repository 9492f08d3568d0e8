"""Core writes: creating and updating users with a role."""

from __future__ import annotations

from django.db import transaction

from .models import Role, User


@transaction.atomic
def upsert_user(*, email: str, name: str, role: str, password: str | None = None) -> User:
    """Create the user or bring an existing one to the given name and role."""
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        user = User.objects.create_user(email, password, name=name, role=role)
    else:
        user.name, user.role = name, role
        if password:
            user.set_password(password)
        user.save(update_fields=["name", "role", "password"])
    is_admin = role == Role.ADMIN
    if user.is_staff != is_admin or user.is_superuser != is_admin:
        user.is_staff = user.is_superuser = is_admin
        user.save(update_fields=["is_staff", "is_superuser"])
    return user
