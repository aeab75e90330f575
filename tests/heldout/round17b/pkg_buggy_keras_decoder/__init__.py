"""Docstring generation from function bodies (Keras 3)."""
