"""Perceiver IO for multi-label audio tagging: variable-length log-mel frames are read into a
fixed latent array, and one output query per tag decodes from the latents."""
from .model import PerceiverIOTagger, TaggerConfig
from .batching import frames_to_batch

__all__ = ["PerceiverIOTagger", "TaggerConfig", "frames_to_batch"]
