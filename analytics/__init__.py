"""Analytics: roll-ups of the event log, the self-service funnel dashboard and exports."""
