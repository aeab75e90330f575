"""Tiny batched-generation server for a decoder-only chat model (left-padded prompts)."""
from .engine import generate
from .modeling import TinyChatLM

__all__ = ["TinyChatLM", "generate"]
