"""Character-level text normalisation (written -> spoken form) with nn.Transformer.
Batches are padded to one fixed length so that shapes are static for export."""
from .batching import CharVocab, NormBatch, make_batch
from .model import Normaliser

__all__ = ["CharVocab", "NormBatch", "make_batch", "Normaliser"]
