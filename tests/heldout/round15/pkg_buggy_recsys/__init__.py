"""Session-based next-item recommender (SASRec-flavoured)."""
from .data import SessionBatch, collate_sessions
from .model import NextItemModel

__all__ = ["SessionBatch", "collate_sessions", "NextItemModel"]
