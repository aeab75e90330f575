"""Procedural dungeon levels: a language model over room/corridor tiles."""
