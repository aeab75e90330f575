"""Promoter / non-promoter classifier over overlapping k-mers of DNA reads."""
from .tokenizer import KmerTokenizer
from .model import PromoterClassifier

__all__ = ["KmerTokenizer", "PromoterClassifier"]
