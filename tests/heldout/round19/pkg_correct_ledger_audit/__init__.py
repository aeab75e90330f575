"""Audit model for a double-entry ledger: flags journal entries that look out of pattern,
given the entries posted before them in the same period."""
from .masks import posted_before, blocked_for_mha
from .model import EntryAuditor
