"""/healthz reports each dependency and answers 503 when the database is down."""

import pytest
from django.db import OperationalError

from helpdesk import health


@pytest.mark.django_db
def test_health_is_ok_when_every_dependency_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "cache", "broker", "search"}
    assert all(check["status"] == "ok" for check in body["checks"].values())


@pytest.mark.django_db
def test_health_answers_503_when_database_is_unreachable(client, monkeypatch):
    def broken() -> dict:
        raise OperationalError("could not connect to server")

    monkeypatch.setitem(health.CHECKS, "database", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["status"] == "down"
    assert "could not connect" in response.json()["checks"]["database"]["detail"]


@pytest.mark.django_db
def test_health_is_degraded_but_200_when_only_the_broker_fails(client, monkeypatch):
    def broken() -> dict:
        raise ConnectionError("broker down")

    monkeypatch.setitem(health.CHECKS, "broker", broken)
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "degraded"


@pytest.mark.django_db
def test_health_is_never_cached(client):
    assert "no-cache" in client.get("/healthz")["Cache-Control"]
