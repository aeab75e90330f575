"""PETR-style multi-view 3D detection head (attention ported to a fused kernel)."""
from .attention import FusedMultiheadAttention
from .petr_head import PETRTransformerDecoder, build_img_padding_mask

__all__ = ["FusedMultiheadAttention", "PETRTransformerDecoder", "build_img_padding_mask"]
