"""Classify code-review comments (nit, defect risk, style, question, praise)."""
