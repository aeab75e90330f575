"""Sparse mixture-of-experts decoder LM (top-2 routing)."""
from .model import MoEConfig, MoELanguageModel

__all__ = ["MoEConfig", "MoELanguageModel"]
