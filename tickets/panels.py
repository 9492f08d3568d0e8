"""Side panels that higher apps add to the desk's ticket page.

`tickets` sits below `chatbot`, `customers`' timeline and `analytics` in the dependency order, so it
cannot import them. Instead they register a panel in their AppConfig.ready():

    register_panel("chat", "chatbot/desk/_panel.html", chat_panel_context, order=10)

`context(request, ticket)` returns the template context for the panel, or None to hide it for
this ticket. Each panel must cost a fixed number of queries (the ticket page has a query budget).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest


@dataclass(frozen=True)
class Panel:
    key: str
    template: str
    context: Callable[[HttpRequest, Any], dict | None]
    order: int = 100


_PANELS: dict[str, Panel] = {}


def register_panel(
    key: str, template: str, context: Callable[[HttpRequest, Any], dict | None], order: int = 100
) -> None:
    """Add (or replace, by key) a panel on the desk's ticket page."""
    _PANELS[key] = Panel(key=key, template=template, context=context, order=order)


def unregister_panel(key: str) -> None:
    _PANELS.pop(key, None)


def panels_for(request: HttpRequest, ticket) -> list[dict]:
    """The panels to show for this ticket, in order: [{"key", "template", "context"}]."""
    shown = []
    for panel in sorted(_PANELS.values(), key=lambda p: (p.order, p.key)):
        context = panel.context(request, ticket)
        if context is not None:
            shown.append({"key": panel.key, "template": panel.template, "context": context})
    return shown
