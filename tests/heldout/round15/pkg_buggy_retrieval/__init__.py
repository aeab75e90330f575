"""Cross-encoder passage reranker."""
from .model import CrossEncoderReranker
from .tokens import ToyTokenizer
