"""Tickets, queues, routing, SLAs, the agent desk, the customer portal and the email channel."""
