"""Product-review sentiment classifier."""
