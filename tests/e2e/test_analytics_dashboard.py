"""An admin reads the analytics dashboard in a real browser: filters, charts, tables, RTL."""

from __future__ import annotations

import pytest

from analytics.rollup import rollup_day
from tests.analytics.scenario import DAY, build
from tests.e2e.conftest import assert_accessible, save_screenshot
from tests.helpdesk.factories import TEST_PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def rolled_up(agent):
    build(agent)
    rollup_day(DAY)


def _sign_in(page, live_server, user, next_url: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/?next={next_url}")
    page.get_by_label("Email address").fill(user.email)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_admin_filters_the_dashboard_and_reads_the_charts(page, live_server, admin_user, rolled_up):
    _sign_in(page, live_server, admin_user, "/desk/")
    page.get_by_role("link", name="Analytics").click()
    page.wait_for_url("**/desk/analytics/")
    page.get_by_label("From", exact=True).fill(DAY.isoformat())
    page.get_by_label("To", exact=True).fill(DAY.isoformat())
    page.get_by_label("Channel", exact=True).select_option("email")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url("**channel=email**")
    volume = page.locator("#report-ticket_volume")
    assert volume.get_by_role("img", name="Ticket volume by channel").is_visible()
    volume.get_by_text("Data table").click()
    assert volume.get_by_role("cell", name="Email").is_visible()
    assert volume.get_by_role("link", name="Download “Ticket volume by channel” as CSV")
    assert_accessible(page)
    save_screenshot(page, "analytics-dashboard-en")

    page.goto(f"{live_server.url}/desk/analytics/?start={DAY}&end={DAY}")
    funnel = page.locator("#report-funnel")
    funnel.get_by_text("Data table").click()
    assert funnel.get_by_role("row").nth(1).inner_text().split("\t")[1] == "9"


def test_the_dashboard_is_accessible_right_to_left(page, live_server, admin_user, rolled_up):
    _sign_in(page, live_server, admin_user, "/desk/")
    page.wait_for_url("**/desk/")
    page.context.add_cookies([{"name": "django_language", "value": "ar", "url": live_server.url}])
    page.goto(f"{live_server.url}/desk/analytics/?start={DAY}&end={DAY}")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("svg[role=img]").count() >= 5
    assert_accessible(page)
    save_screenshot(page, "analytics-dashboard-ar")
