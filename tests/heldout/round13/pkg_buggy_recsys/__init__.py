"""Bidirectional sequential recommender (BERT4Rec-style cloze training)."""
from .model import Bert4Rec

__all__ = ["Bert4Rec"]
