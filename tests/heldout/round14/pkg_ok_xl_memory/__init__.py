"""Transformer-XL style segment-recurrent LM (absolute-free: learned relative bias omitted).
Hidden states of the previous segment are cached per layer and attended as extra keys."""
from .model import XLConfig, SegmentRecurrentLM

__all__ = ["XLConfig", "SegmentRecurrentLM"]
