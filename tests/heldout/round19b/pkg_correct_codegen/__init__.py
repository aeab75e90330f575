"""Docstring-to-code model: an nn.Transformer that writes code tokens from a docstring."""
from .model import Completer
from .train import train_step
from .generate import greedy_complete

__all__ = ["Completer", "train_step", "greedy_complete"]
