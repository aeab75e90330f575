"""Precipitation nowcasting over a sequence of radar-frame embeddings."""
from .config import MaskKind, NowcastConfig
from .model import Nowcaster

__all__ = ["MaskKind", "NowcastConfig", "Nowcaster"]
