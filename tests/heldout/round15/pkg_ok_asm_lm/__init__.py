"""Assembly-code language model pretrained on fixed-length windows of a token stream."""
from .model import AsmLM
