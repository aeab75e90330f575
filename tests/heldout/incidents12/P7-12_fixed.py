from typing import Optional

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch import Tensor


class TransformerEncoderLayer(nn.Module):
    def __init__(self, embed_dim=32, attention_heads=4, ffn_dim=64):
        super().__init__()
        self.self_attn = nn.MultiheadAttention(embed_dim, attention_heads)
        self.self_attn_layer_norm = nn.LayerNorm(embed_dim)
        self.fc1 = nn.Linear(embed_dim, ffn_dim)
        self.fc2 = nn.Linear(ffn_dim, embed_dim)
        self.final_layer_norm = nn.LayerNorm(embed_dim)

    def forward(self, x, encoder_padding_mask: Optional[Tensor], attn_mask: Optional[Tensor] = None):
        if attn_mask is not None:
            attn_mask = attn_mask.masked_fill(attn_mask.to(torch.bool), -1e8 if x.dtype == torch.float32 else -1e4)
        residual = x
        x, _ = self.self_attn(query=x, key=x, value=x, key_padding_mask=encoder_padding_mask, attn_mask=attn_mask, need_weights=False)
        x = self.self_attn_layer_norm(residual + x)
        residual = x
        x = self.fc2(F.relu(self.fc1(x)))
        return self.final_layer_norm(residual + x)


def local_attention_mask(seq_len, window, dtype):
    idx = torch.arange(seq_len)
    return ((idx[None, :] - idx[:, None]).abs() > window).to(dtype)


if __name__ == "__main__":
    torch.manual_seed(0)
    layer = TransformerEncoderLayer().half()
    x = torch.randn(7, 2, 32, dtype=torch.float16)
    pad = torch.zeros(2, 7, dtype=torch.bool)
    try:
        with torch.no_grad():
            out = layer(x, pad, local_attention_mask(7, 2, torch.float16))
        print(f"fp16 ok: finite={bool(torch.isfinite(out).all())}")
    except RuntimeError as e:
        print(f"RuntimeError: {e}")
