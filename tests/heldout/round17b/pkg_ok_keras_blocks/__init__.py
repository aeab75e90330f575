"""Explain SQL queries in plain English (Keras 3 seq2seq)."""
