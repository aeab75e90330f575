"""Support-ticket routing: classify a ticket into a queue."""
