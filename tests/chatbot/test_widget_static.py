"""The widget script can be loaded by any shop's page; the chat API allows conditional polling."""

import pytest


@pytest.mark.django_db
def test_widget_script_is_served_for_cross_origin_use(client):
    response = client.get("/static/chatbot/widget.js")
    assert response.status_code == 200
    assert response["Cross-Origin-Resource-Policy"] == "cross-origin"
    assert response["Cache-Control"] == "public, max-age=300"


def test_chat_cors_allows_the_conditional_polling_header():
    from chatbot.cors import ALLOWED_HEADERS

    assert "If-None-Match" in ALLOWED_HEADERS
