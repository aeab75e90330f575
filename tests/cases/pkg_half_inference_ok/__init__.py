"""The same tagger with a fill float16 holds (-1e4): correct."""
