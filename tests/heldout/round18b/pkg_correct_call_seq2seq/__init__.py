"""Code -> docstring summarization with nn.Transformer (batch-first)."""
from .network import DocstringModel

__all__ = ["DocstringModel"]
