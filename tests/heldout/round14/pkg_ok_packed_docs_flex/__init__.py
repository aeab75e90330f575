"""Sequence-packed LM evaluation: several documents are concatenated into each row and
attention is restricted to the same document with FlexAttention mask_mods."""
from .model import PackedLM, PackedLMConfig
from .packing import pack_documents

__all__ = ["PackedLM", "PackedLMConfig", "pack_documents"]
