"""API tokens are checked against the database once per process, until a token or user changes."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _remembered(settings):
    settings.API_TOKENS_REMEMBERED = True  # on wherever the cache is shared (Redis)


URL = "/api/v1/tickets/"


def _client(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def _token_queries(client: APIClient) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as queries:
        status = client.get(URL).status_code
    return status, sum("authtoken_token" in q["sql"] for q in queries.captured_queries)


def test_a_checked_token_is_not_read_again(agent):
    client = _client(Token.objects.create(user=agent).key)
    assert _token_queries(client) == (200, 1)
    assert _token_queries(client) == (200, 0)


def test_a_deleted_token_is_refused_on_the_next_request(agent):
    token = Token.objects.create(user=agent)
    client = _client(token.key)
    assert _token_queries(client) == (200, 1)
    token.delete()
    response = client.get(URL)
    assert response.status_code == 401 and response.json()["detail"] == "Invalid token."


def test_a_deactivated_user_is_refused_on_the_next_request(agent):
    client = _client(Token.objects.create(user=agent).key)
    assert client.get(URL).status_code == 200
    agent.is_active = False
    agent.save()
    response = client.get(URL)
    assert response.status_code == 401 and "inactive" in response.json()["detail"].lower()


def test_a_new_role_applies_on_the_next_request(agent):
    client = _client(Token.objects.create(user=agent).key)
    assert client.get(URL + "?status=open").status_code == 200
    agent.role = "customer"
    agent.save()
    # Customers may not filter the list by agent-only fields; the user is read afresh.
    response = client.post(URL, {"subject": "s", "body": "b", "queue": 1}, format="json")
    assert response.status_code == 400 and "queue" in response.content.decode()


def test_a_wrong_token_is_refused_and_not_remembered(agent):
    assert _client("0" * 40).get(URL).status_code == 401
    assert _token_queries(_client("0" * 40)) == (401, 1)


def test_each_request_gets_its_own_user_object(agent, monkeypatch):
    from helpdesk import api_auth

    key = Token.objects.create(user=agent).key
    auth = api_auth.CachedTokenAuthentication()
    first, _ = auth.authenticate_credentials(key)
    first.name = "Changed by one request"
    second, _ = auth.authenticate_credentials(key)
    assert second is not first and second.name == "Aino Agent"


def test_without_a_shared_cache_every_request_checks_its_token(agent, settings):
    # A local-memory cache cannot hear of a token another process deleted.
    settings.API_TOKENS_REMEMBERED = False
    client = _client(Token.objects.create(user=agent).key)
    assert _token_queries(client) == (200, 1)
    assert _token_queries(client) == (200, 1)


def test_the_setting_follows_the_shared_cache():
    from helpdesk import settings as configured  # the module, before any test changes it

    shared = "RedisCache" in configured.CACHES["default"]["BACKEND"]
    assert configured.API_TOKENS_REMEMBERED is shared


def test_a_remembered_token_is_checked_again_after_a_while(agent, monkeypatch):
    from helpdesk import api_auth

    client = _client(Token.objects.create(user=agent).key)
    assert _token_queries(client) == (200, 1)
    now = api_auth.time.monotonic()
    later = now + api_auth.RECHECK_SECONDS + 1
    monkeypatch.setattr(api_auth.time, "monotonic", lambda: later)
    assert _token_queries(client) == (200, 1)  # even if no revocation reached this process
    assert _token_queries(client) == (200, 0)
