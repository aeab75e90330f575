"""Cross-encoder re-ranker for passage retrieval with segment-restricted attention.

Query tokens see everything; passage tokens see the query and their own passage
(several candidate passages are packed after one query).
"""
from .reranker import PackedReranker

__all__ = ["PackedReranker"]
