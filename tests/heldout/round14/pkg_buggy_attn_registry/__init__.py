"""Small decoder-only LM whose attention kernel is chosen from a registry by config."""
from .config import LMConfig
from .model import TinyLM
from .registry import available_impls

__all__ = ["LMConfig", "TinyLM", "available_impls"]
