"""Conformer CTC acoustic model (ESPnet-flavoured layout)."""
from .conformer import ConformerCTC, ConformerSettings

__all__ = ["ConformerCTC", "ConformerSettings"]
