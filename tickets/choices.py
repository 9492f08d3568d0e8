"""The desk's options for queues and agents, cached per process until a queue or a user
changes (signals in apps.py): the ticket page's fields form and the list's filters and bulk
actions show them without a query."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet

from helpdesk.config_cache import cached_config
from helpdesk.models import Role

from .models import Queue


def active_agents() -> QuerySet:
    User = get_user_model()
    agents = Q(role__in=[Role.AGENT, Role.ADMIN]) | Q(is_superuser=True)
    return User.objects.filter(agents, is_active=True).order_by("name", "email")


def field_choices() -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
    """The queue and assignee options of the ticket fields form, cached until a queue or a
    user changes (signals in apps.py)."""

    def load():
        queues = [(q.pk, str(q)) for q in Queue.objects.order_by("name")]
        return queues, [(pk, str(u)) for pk, u in staff_by_pk().items()]

    return cached_config("field-choices", load)


def staff_by_pk() -> dict:
    """Active agents and admins by primary key (in name order), cached until a user changes
    (apps.py): the ticket page names the authors of replies and the actors of changes
    without a join."""
    return cached_config("staff", lambda: {u.pk: u for u in active_agents()})


def users_by_pk(ids) -> dict:
    """These users by primary key: agents from the cached staff map, anyone else (a former
    agent, a customer with an account) in one query, and only when there is one."""
    staff = staff_by_pk()
    users = {pk: staff[pk] for pk in ids if pk in staff}
    if missing := set(ids) - users.keys() - {None}:
        users.update((u.pk, u) for u in get_user_model().objects.filter(pk__in=missing))
    return users
