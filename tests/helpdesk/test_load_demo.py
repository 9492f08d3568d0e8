"""`manage.py load_demo` creates the demo users and can run again without duplicating."""

import pytest
from django.core.management import call_command

from helpdesk.models import User


@pytest.mark.django_db
def test_load_demo_creates_each_role_once_when_run_twice(capsys):
    call_command("load_demo")
    call_command("load_demo")
    assert User.objects.count() == 4
    assert set(User.objects.values_list("role", flat=True)) == {"admin", "agent", "customer"}
    assert "admin@example.com" in capsys.readouterr().out
