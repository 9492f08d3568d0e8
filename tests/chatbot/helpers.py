"""A small widget-API client for tests: start a chat and talk to it like the widget does."""

from __future__ import annotations

import hashlib
import hmac
from typing import Any

ORIGIN = "http://127.0.0.1:8001"


def sign(secret: str, user_id: str, email: str) -> str:
    return hmac.new(secret.encode(), f"{user_id}\n{email}".encode(), hashlib.sha256).hexdigest()


class ChatClient:
    """Wraps Django's test client; keeps the conversation token in the header, never the URL."""

    def __init__(self, client, key: str = "demo-shop-key", origin: str | None = ORIGIN) -> None:
        self.client, self.key, self.origin = client, key, origin
        self.token = ""
        self.started: dict[str, Any] = {}

    def headers(self, **extra: str) -> dict[str, str]:
        found = {"HTTP_X_CHAT_TOKEN": self.token} if self.token else {}
        if self.origin is not None:
            found["HTTP_ORIGIN"] = self.origin
        return {**found, **extra}

    def post(self, path: str, data: dict, **extra: str):
        return self.client.post(
            f"/api/v1/chat/{path}", data, content_type="application/json", **self.headers(**extra)
        )

    def start(self, **data: Any) -> dict[str, Any]:
        response = self.post("start", {"key": self.key, **data})
        assert response.status_code == 201, response.content
        self.started = response.json()
        self.token = self.started["token"]
        return self.started

    def send(self, text: str) -> dict[str, Any]:
        response = self.post("messages", {"text": text})
        assert response.status_code == 200, response.content
        return response.json()

    def history(self, after: int | None = None, **extra: str):
        query = f"?after={after}" if after else ""
        return self.client.get(f"/api/v1/chat/history{query}", **self.headers(**extra))

    def escalate(self, **data: Any):
        return self.post("escalate", data)
