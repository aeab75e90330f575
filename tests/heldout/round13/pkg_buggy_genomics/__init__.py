"""Read-level classifier for metagenomic reads (variable-length k-mer token sequences)."""
from .model import ReadClassifier
from .tokenize import KmerTokenizer

__all__ = ["ReadClassifier", "KmerTokenizer"]
