"""Bi-encoder for passage retrieval (query tower and passage tower share weights)."""
from .config import TowerConfig
from .model import BiEncoder

__all__ = ["BiEncoder", "TowerConfig"]
