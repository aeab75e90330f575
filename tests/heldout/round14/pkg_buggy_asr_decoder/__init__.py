"""Attention encoder-decoder speech recogniser (joint training, greedy decoding)."""
from .model import AEDConfig, AttentionEncoderDecoder

__all__ = ["AEDConfig", "AttentionEncoderDecoder"]
