"""The customer database: contacts, organisations, attributes, one timeline per contact."""
