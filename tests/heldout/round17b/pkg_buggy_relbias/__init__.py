"""Marine weather bulletin writer: generates forecast text from numeric guidance."""
