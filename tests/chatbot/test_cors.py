"""Per-widget CORS: only the widget's exact origins are echoed; others and `null` are refused."""

from __future__ import annotations

from tests.chatbot.helpers import ORIGIN


def test_allowed_origin_is_echoed_exactly_never_a_wildcard(chat):
    chat.start()
    response = chat.history()
    assert response["Access-Control-Allow-Origin"] == ORIGIN
    assert "Origin" in response["Vary"]
    assert "Access-Control-Allow-Credentials" not in response


def test_unknown_origin_is_refused_with_403(chat):
    chat.origin = "https://evil.example"
    response = chat.post("start", {"key": "demo-shop-key"})
    assert response.status_code == 403
    assert "evil.example" in response.json()["detail"]
    assert "Access-Control-Allow-Origin" not in response


def test_null_origin_is_refused(chat):
    chat.start()
    chat.origin = "null"
    assert chat.history().status_code == 403


def test_origin_of_another_widget_is_refused(chat, widget):
    from chatbot.models import Widget

    Widget.objects.create(name="Other", public_key="other", allowed_origins=["https://b.example"])
    chat.start()
    chat.origin = "https://b.example"
    assert chat.history().status_code == 403


def _preflight(client, path: str, origin: str):
    return client.options(
        path,
        HTTP_ORIGIN=origin,
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="x-chat-token, content-type",
    )


def test_preflight_works_with_the_project_cors_settings(client, widget):
    response = _preflight(client, "/api/v1/chat/messages?key=demo-shop-key", ORIGIN)
    assert response["Access-Control-Allow-Origin"] == ORIGIN


def test_preflight_allows_the_widget_headers(client, widget):
    response = _preflight(client, "/api/v1/chat/messages?key=demo-shop-key", ORIGIN)
    assert response.status_code == 204
    assert response["Access-Control-Allow-Origin"] == ORIGIN
    assert "X-Chat-Token" in response["Access-Control-Allow-Headers"]


def test_preflight_from_unknown_origin_is_403(client, widget):
    response = _preflight(client, "/api/v1/chat/start", "https://evil.example")
    assert response.status_code == 403
    assert "Access-Control-Allow-Origin" not in response


def test_requests_without_origin_are_served(chat):
    chat.origin = None
    chat.start()
    assert chat.history().status_code == 200
