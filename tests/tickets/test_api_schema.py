"""The OpenAPI schema, ticket endpoints included, validates without warnings."""

from __future__ import annotations

import pytest
import yaml
from django.core.management import call_command


@pytest.mark.django_db
def test_the_schema_validates_and_documents_the_ticket_api(tmp_path):
    target = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    schema = yaml.safe_load(target.read_text())
    paths = schema["paths"]
    for path in (
        "/api/v1/tickets/",
        "/api/v1/tickets/{id}/",
        "/api/v1/tickets/{id}/messages/",
        "/api/v1/tickets/{id}/attachments/",
        "/api/v1/tickets/{id}/assign",
        "/api/v1/tickets/{id}/merge",
        "/api/v1/tickets/{id}/link",
        "/api/v1/tickets/{id}/rate",
        "/api/v1/queues/",
        "/api/v1/canned-responses/",
    ):
        assert path in paths, path
        assert all(op["tags"] == ["tickets"] for op in paths[path].values())
    listed = {p["name"] for p in paths["/api/v1/tickets/"]["get"]["parameters"]}
    assert {"status", "queue", "assignee", "tag", "requester", "q", "cursor"} <= listed
