"""Folk-tune generator over ABC-notation tokens."""
