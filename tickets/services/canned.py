"""Canned responses: which apply to a ticket, and their text with placeholders filled."""

from __future__ import annotations

import re

from helpdesk.config_cache import cached_config

from ..models import CannedResponse, Ticket

PLACEHOLDER = re.compile(r"\{\{\s*(customer\.name|ticket\.reference|agent\.name)\s*\}\}")


def fill_placeholders(text: str, *, ticket: Ticket, agent) -> str:
    """Canned response text with its three placeholders filled; no template engine is run,
    so a canned response can never reach template tags or context it was not meant to."""
    values = {
        "customer.name": ticket.requester.display_name,
        "ticket.reference": ticket.reference,
        "agent.name": agent.get_full_name(),
    }
    return PLACEHOLDER.sub(lambda m: values[m.group(1)], text)


def canned_responses_for(ticket: Ticket, agent) -> list[tuple[CannedResponse, str]]:
    """The canned responses usable on this ticket, each with its filled-in text.

    All canned responses are cached until one changes (apps.py): the ticket page then reads
    them without a query, and picks those for the ticket's queue and language here."""
    every = cached_config("canned", lambda: list(CannedResponse.objects.all()))
    return [
        (r, fill_placeholders(r.body, ticket=ticket, agent=agent))
        for r in every
        if r.queue_id in (None, ticket.queue_id) and r.language in ("", ticket.language)
    ]
