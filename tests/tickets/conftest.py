"""Fixtures for the ticket tests: a settable clock (routing, SLA and automation tests)."""

from tests.tickets.automation_factories import clock  # noqa: F401
