"""Plain-language rewriting of contract clauses (seq2seq)."""
from .data import ClauseBatch, collate
from .model import ClauseRewriter

__all__ = ["ClauseBatch", "ClauseRewriter", "collate"]
