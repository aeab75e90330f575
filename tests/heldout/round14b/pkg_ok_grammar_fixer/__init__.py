"""Grammatical error correction as sequence-to-sequence translation."""
