"""Packed discrete speech-unit pretraining (several utterances per row)."""
from .model import UnitLM, UtteranceScorer
from .packing import pack_utterances

__all__ = ["UnitLM", "UtteranceScorer", "pack_utterances"]
