"""Chord-progression generator for a songwriting assistant."""
