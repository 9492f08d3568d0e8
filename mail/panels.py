"""The requester's timeline as a side panel on the desk's ticket page (registered in ready())."""

from __future__ import annotations

from tickets.panels import register_panel


def contact_timeline_panel(request, ticket) -> dict | None:
    """The requester's timeline, loaded by the page after it is shown: no query here, so the
    ticket page keeps its query budget however long the customer's history is."""
    return {"contact": ticket.requester}


def register() -> None:
    register_panel(
        "contact-timeline", "customers/_timeline_panel.html", contact_timeline_panel, order=20
    )
