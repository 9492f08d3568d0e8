"""Ticket writes. Every change to a ticket goes through these functions (desk, portal, API,
email, widget alike): they validate, lock, record history and queue notifications."""

from .core import (
    StaleTicket,
    TicketError,
    add_message,
    assign_ticket,
    create_ticket,
    link_tickets,
    mark_solved_by_requester,
    merge_tickets,
    rate_ticket,
    update_ticket,
)

__all__ = [
    "StaleTicket",
    "TicketError",
    "add_message",
    "assign_ticket",
    "create_ticket",
    "link_tickets",
    "mark_solved_by_requester",
    "merge_tickets",
    "rate_ticket",
    "update_ticket",
]
