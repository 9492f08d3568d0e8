"""Ticket REST API (/api/v1/tickets/...)."""
