"""The rule-based chatbot: engine, conversations, the widget API and escalation to a ticket."""
