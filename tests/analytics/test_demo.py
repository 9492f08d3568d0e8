"""A fresh demo shows a dashboard with figures, not an empty one."""

import pytest
from django.core.management import call_command

from analytics.models import DailyMetric

pytestmark = pytest.mark.django_db


def test_load_demo_rolls_up_the_demo_events(client, admin_user):
    call_command("load_demo", verbosity=0)
    assert DailyMetric.objects.filter(metric="tickets_created", value__gt=0).exists()
    client.force_login(admin_user)
    html = client.get("/desk/analytics/").content.decode()
    assert "No roll-up has run yet" not in html
