"""Who may see analytics (desk rules), CSV exports, API endpoints, the schema, query counts."""

from __future__ import annotations

from datetime import timedelta

import pytest
import yaml
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from analytics.metrics import REPORTS
from analytics.rollup import rollup_day

from .scenario import DAY, build

pytestmark = pytest.mark.django_db
URL = "/desk/analytics/"


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_customers_get_404_and_plain_agents_403(client, customer, agent):
    client.force_login(customer)
    assert client.get(URL).status_code == 404
    assert client.get("/api/v1/analytics/metrics/").status_code == 403
    client.force_login(agent)
    assert client.get(URL).status_code == 403
    assert client.get(f"{URL}export/funnel.csv").status_code == 403
    assert client.get("/api/v1/analytics/metrics/funnel/").status_code == 403


def test_supervisors_with_the_permission_and_admins_see_it(client, agent, admin_user):
    agent.user_permissions.add(Permission.objects.get(codename="view_analytics"))
    client.force_login(agent)
    assert client.get(URL).status_code == 200
    client.force_login(admin_user)
    page = client.get(URL).content.decode()
    for report in REPORTS:
        assert f'id="report-{report.key}"' in page
    assert 'role="img"' in page and "<title id=" in page and "<table>" in page


def test_the_desk_links_to_analytics_for_those_who_may_see_it(client, agent, make_user):
    from django.contrib.auth.models import Group

    link = 'href="/desk/analytics/"'
    client.force_login(agent)
    assert link not in client.get("/desk/").content.decode()
    permission = Permission.objects.get(codename="view_analytics")
    agent.user_permissions.add(permission)
    assert link in client.get("/desk/").content.decode()  # granted: shown on the next page
    agent.user_permissions.remove(permission)
    assert link not in client.get("/desk/").content.decode()
    supervisors = Group.objects.create(name="Supervisors")
    supervisors.permissions.add(permission)
    other = make_user(role="agent", name="Sam Supervisor")
    other.groups.add(supervisors)
    client.force_login(other)
    assert link in client.get("/desk/").content.decode()
    with CaptureQueriesContext(connection) as queries:  # no permission query per page
        client.get("/desk/")
    assert not [q for q in queries.captured_queries if "auth_permission" in q["sql"]]


def test_every_metric_exports_as_csv_with_the_filters(client, admin_user, agent):
    build(agent)
    rollup_day(DAY)
    client.force_login(admin_user)
    response = client.get(f"{URL}export/ticket_volume.csv?start={DAY}&end={DAY}&channel=email")
    assert response["Content-Disposition"].startswith("attachment;")
    lines = response.content.decode().splitlines()
    assert lines[1:] == ["Channel,Tickets", "Email,1"]
    for report in REPORTS:
        assert client.get(f"{URL}export/{report.key}.csv").status_code == 200
    assert client.get(f"{URL}export/nope.csv").status_code == 404


def test_the_api_lists_definitions_and_answers_each_metric(client, admin_user, agent):
    build(agent)
    rollup_day(DAY)
    client.force_login(admin_user)
    listed = client.get("/api/v1/analytics/metrics/").json()
    assert [m["key"] for m in listed] == [r.key for r in REPORTS]
    data = client.get(f"/api/v1/analytics/metrics/funnel/?start={DAY}&end={DAY}").json()
    assert [row[1] for row in data["rows"]] == [9, 7, 6, 5, 2, 2]
    for report in REPORTS:
        assert client.get(f"/api/v1/analytics/metrics/{report.key}/").status_code == 200
    bad = client.get(f"/api/v1/analytics/metrics/funnel/?start={DAY}&end={DAY - timedelta(1)}")
    assert bad.status_code == 400


def test_bad_filters_fall_back_to_the_default_period_with_a_message(client, admin_user):
    client.force_login(admin_user)
    response = client.get(URL + "?start=2026-05-01&end=2026-04-01")
    assert response.status_code == 200
    assert "The start date is after the end date." in response.content.decode()


def test_the_dashboard_query_count_does_not_grow_with_data(client, admin_user, agent):
    from customers.services import get_or_create_contact
    from tickets.models import Ticket

    from .scenario import at, ev

    client.force_login(admin_user)
    query = f"?start={DAY - timedelta(days=30)}&end={DAY}"
    scenario = build(agent)
    rollup_day(DAY)
    client.get(URL + query)  # warm caches (content types, sessions)
    with CaptureQueriesContext(connection) as small:
        client.get(URL + query)
    contact = get_or_create_contact(email="many@example.com")
    for back in range(1, 6):
        day = DAY - timedelta(days=back)
        for i in range(20):
            ticket = Ticket.objects.create(
                subject="x",
                requester=contact,
                channel="api",
                queue=scenario["queue"],
                assignee=agent,
            )
            ev("ticket.created", at(8, i, day), f"m{back}-{i}", ticket=ticket.pk)
            ev(
                "search.performed",
                at(9, i, day),
                f"m{back}-{i}",
                search_id=f"{back}-{i}",
                query=f"word{i}",
                results=i % 2,
            )
            ev("kb.article_voted", at(9, i, day), visitor=f"x{i}", article=100 + i, value="down")
        rollup_day(day)
    with CaptureQueriesContext(connection) as large:
        assert client.get(URL + query).status_code == 200
    assert len(large) == len(small)
    assert len(large) <= 25


def test_the_schema_documents_the_analytics_api(tmp_path):
    target = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    paths = yaml.safe_load(target.read_text())["paths"]
    assert "/api/v1/analytics/metrics/" in paths
    detail = paths["/api/v1/analytics/metrics/{key}/"]["get"]
    assert detail["tags"] == ["analytics"]
    assert {p["name"] for p in detail["parameters"]} >= {
        "start",
        "end",
        "language",
        "channel",
        "queue",
        "key",
    }


def test_docs_publish_every_definition():
    from pathlib import Path

    from django.conf import settings

    text = (Path(settings.BASE_DIR) / "docs" / "metrics.md").read_text()
    for report in REPORTS:
        assert f"(`{report.key}`)" in text
        assert report.formula in text.replace("\n", " ")


def test_what_visitors_typed_is_escaped_in_charts_tables_and_csv(client, admin_user):
    from .scenario import at, ev

    ev(
        "search.performed",
        at(9),
        "s1",
        "v1",
        search_id="x",
        query="<script>alert(1)</script>",
        results=0,
    )
    ev("search.performed", at(9), "s1", "v1", search_id="y", query="=HYPERLINK(1)", results=0)
    rollup_day(DAY)
    client.force_login(admin_user)
    page = client.get(f"{URL}?start={DAY}&end={DAY}").content.decode()
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    csv = client.get(f"{URL}export/content_gaps.csv?start={DAY}&end={DAY}").content.decode()
    assert "'=HYPERLINK(1)" in csv
