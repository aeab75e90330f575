"""Short-horizon aircraft track prediction from ADS-B reports."""
