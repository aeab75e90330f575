"""Shell-log completion: suggests the rest of a log line while an operator types a query."""
