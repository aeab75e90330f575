from .packing import pack_documents
from .masks import document_causal_mask
from .model import PackedDecoder

__all__ = ["pack_documents", "document_causal_mask", "PackedDecoder"]
