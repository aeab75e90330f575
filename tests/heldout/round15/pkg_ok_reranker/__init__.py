"""Query-product relevance model for e-commerce search (bi-input cross encoder)."""
from .modeling import ProductRelevanceModel
