"""German -> English toy translation with nn.Transformer (seq-first layout)."""
from .model import Seq2SeqTransformer

__all__ = ["Seq2SeqTransformer"]
