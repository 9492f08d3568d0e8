"""Ticket views: the agent desk (desk*.py) and the customer-facing pages."""
