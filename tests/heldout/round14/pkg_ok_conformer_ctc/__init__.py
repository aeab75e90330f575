"""Non-streaming Conformer-CTC encoder (Conv1d subsampling, nn.MultiheadAttention)."""
from .encoder import ConformerEncoder, EncoderConf

__all__ = ["ConformerEncoder", "EncoderConf"]
