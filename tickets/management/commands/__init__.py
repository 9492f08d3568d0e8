"""manage.py commands: seed_tickets."""
