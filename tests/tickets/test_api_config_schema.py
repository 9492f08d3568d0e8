"""The routing, SLA, automation and webhook endpoints are documented in the OpenAPI schema."""

from __future__ import annotations

import pytest
import yaml
from django.core.management import call_command


@pytest.mark.django_db
def test_the_schema_documents_the_configuration_api(tmp_path):
    target = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--file", str(target))
    paths = yaml.safe_load(target.read_text())["paths"]
    for path in (
        "/api/v1/calendars/",
        "/api/v1/calendars/{id}/",
        "/api/v1/sla-policies/",
        "/api/v1/sla-policies/{id}/",
        "/api/v1/automations/",
        "/api/v1/automations/{id}/preview",
        "/api/v1/webhooks/",
        "/api/v1/webhooks/{id}/deliveries/",
        "/api/v1/queues/{id}/routing",
        "/api/v1/agents/me/status",
        "/api/v1/macros/",
        "/api/v1/tickets/{id}/macros/{macro_id}/apply",
    ):
        assert path in paths, path
    ticket = yaml.safe_load(target.read_text())["components"]["schemas"]["TicketDetail"]
    assert "sla" in ticket["properties"]
