"""Biomedical abstract classifier written in the style of a Hugging Face model file."""
