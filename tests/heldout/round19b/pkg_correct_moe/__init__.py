"""Sparse mixture-of-experts transformer block."""
from .router import TopKRouter
from .experts import ExpertFFN
from .block import MoEBlock

__all__ = ["TopKRouter", "ExpertFFN", "MoEBlock"]
