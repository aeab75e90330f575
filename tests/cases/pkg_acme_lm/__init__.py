"""acme_lm: small language-model building blocks."""
from .model import AcmeBlock, AcmeFlashBlock, AcmeReranker

__all__ = ["AcmeBlock", "AcmeFlashBlock", "AcmeReranker"]
