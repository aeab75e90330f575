"""Transformer speaker-embedding model (x-vector style) for variable-length utterances."""
from .data import SpeechBatch, collate_utterances
from .encoder import SpeakerEncoder, SpeakerEncoderConfig

__all__ = ["SpeechBatch", "collate_utterances", "SpeakerEncoder", "SpeakerEncoderConfig"]
