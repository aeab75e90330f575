"""Hint generator for escape-room game masters."""
from .collate import collate_hints
from .model import HintGenerator
from .vocab import HintVocab

__all__ = ["HintVocab", "collate_hints", "HintGenerator"]
