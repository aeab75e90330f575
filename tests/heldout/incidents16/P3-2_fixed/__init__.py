from .transformer import T2VEncoderLayer, TransformerEncoderLayer
from .model import MomentDETR, build_model

__all__ = ["T2VEncoderLayer", "TransformerEncoderLayer", "MomentDETR", "build_model"]
