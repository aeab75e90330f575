"""Next-event scorer for clickstream sessions (inference package)."""
from .config import ScorerConfig
from .model import NextEventScorer

__all__ = ["ScorerConfig", "NextEventScorer"]
