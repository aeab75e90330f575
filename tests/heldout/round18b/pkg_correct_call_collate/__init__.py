"""Support-ticket routing: ticket text -> team."""
