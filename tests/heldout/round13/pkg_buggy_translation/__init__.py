"""Sign-language gloss -> German text translation (fixed-width padded batches)."""
