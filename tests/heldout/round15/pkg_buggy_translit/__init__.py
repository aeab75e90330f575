"""Character-level transliteration (romanised Hindi -> Devanagari-ish ids) with nn.Transformer."""
from .batching import Batch, make_batch
from .model import Transliterator
