"""fairseq/modules/transformer_layer.py (2021 style) TransformerEncoderLayer
under --fp16: the attn_mask is created in the activation dtype and filled
with -1e8.  Torch raises on the bug (RuntimeError: value cannot be converted
to type at::Half without overflow)."""
from typing import Optional

import torch
import torch.nn as nn
from torch import Tensor


class TransformerEncoderLayer(nn.Module):
    def __init__(self, embed_dim=16, heads=2):
        super().__init__()
        self.self_attn = nn.MultiheadAttention(embed_dim, heads)
        self.self_attn_layer_norm = nn.LayerNorm(embed_dim)

    def forward(self, x, encoder_padding_mask: Optional[Tensor], attn_mask: Optional[Tensor] = None):
        if attn_mask is not None:
            attn_mask = attn_mask.masked_fill(attn_mask.to(torch.bool), -1e8)  # BUG
        residual = x
        x, _ = self.self_attn(query=x, key=x, value=x, key_padding_mask=encoder_padding_mask, attn_mask=attn_mask)
        return self.self_attn_layer_norm(residual + x)


if __name__ == "__main__":
    torch.manual_seed(0)
    layer = TransformerEncoderLayer().half()
    T, B = 5, 2
    x = torch.randn(T, B, 16, dtype=torch.float16)
    attn_mask = torch.triu(torch.ones(T, T, dtype=torch.float16), 1)  # 1 = excluded
    x2 = x.clone(); x2[-1] = torch.randn(B, 16, dtype=torch.float16)
    with torch.no_grad():
        a = layer(x, None, attn_mask); b = layer(x2, None, attn_mask)
    print("prefix change when last token changes:", (a[:-1] - b[:-1]).abs().max().item(), "| NaN:", bool(a.isnan().any()))
