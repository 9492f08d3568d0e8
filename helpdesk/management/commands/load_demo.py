"""Load demo data: users of every role, then each app's demo content (idempotent)."""

from __future__ import annotations

import importlib
import importlib.util

from django.conf import settings
from django.core.management.base import BaseCommand

from helpdesk.models import Role
from helpdesk.services import upsert_user

DEMO_USERS = [
    ("admin@example.com", "Ada Admin", Role.ADMIN, "demo-admin-2026"),
    ("aino.agent@example.com", "Aino Virtanen", Role.AGENT, "demo-agent-2026"),
    ("omar.agent@example.com", "Omar Haddad", Role.AGENT, "demo-agent-2026"),
    ("casey.customer@example.com", "Casey Customer", Role.CUSTOMER, "demo-customer-2026"),
]


class Command(BaseCommand):
    help = "Create demo users and content. Safe to run again: it updates rather than duplicates."

    def handle(self, *args, **options) -> None:
        for email, name, role, password in DEMO_USERS:
            upsert_user(email=email, name=name, role=role, password=password)
        # Each app may ship `<app>/demo.py` with `load(stdout)`; run them in dependency order.
        for app in settings.LOCAL_APPS:
            if importlib.util.find_spec(f"{app}.demo"):
                importlib.import_module(f"{app}.demo").load(self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo data loaded. Sign in with:"))
        for email, _name, role, password in DEMO_USERS:
            self.stdout.write(f"  {role:<9} {email:<30} {password}")
