"""Character-level transliteration (seq2seq) with fixed-width batches."""
from .config import TranslitConfig
from .collate import collate_pairs
from .model import Transliterator

__all__ = ["TranslitConfig", "collate_pairs", "Transliterator"]
