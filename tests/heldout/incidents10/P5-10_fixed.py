"""fairseq/modules/transformer_layer.py (early 2020 style):
TransformerEncoderLayer accepts an attn_mask (e.g. for local or causal
attention in the encoder) but does not forward it to self_attn."""
from typing import Optional

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch import Tensor


class TransformerEncoderLayer(nn.Module):
    def __init__(self, embed_dim=16, heads=2, ffn_dim=32):
        super().__init__()
        self.self_attn = nn.MultiheadAttention(embed_dim, heads)
        self.self_attn_layer_norm = nn.LayerNorm(embed_dim)
        self.fc1 = nn.Linear(embed_dim, ffn_dim)
        self.fc2 = nn.Linear(ffn_dim, embed_dim)
        self.final_layer_norm = nn.LayerNorm(embed_dim)

    def forward(self, x, encoder_padding_mask: Optional[Tensor], attn_mask: Optional[Tensor] = None):
        """x: (seq_len, batch, embed_dim); attn_mask: (tgt_len, src_len), True/1 = excluded."""
        if attn_mask is not None:
            attn_mask = attn_mask.masked_fill(attn_mask.to(torch.bool), -1e8)
        residual = x
        x, _ = self.self_attn(query=x, key=x, value=x, key_padding_mask=encoder_padding_mask, attn_mask=attn_mask)
        x = self.self_attn_layer_norm(residual + x)
        residual = x
        x = self.fc2(F.relu(self.fc1(x)))
        return self.final_layer_norm(residual + x)


if __name__ == "__main__":
    torch.manual_seed(0)
    layer = TransformerEncoderLayer()
    T, B = 6, 2
    x = torch.randn(T, B, 16)
    pad = torch.zeros(B, T, dtype=torch.bool)
    future = torch.triu(torch.ones(T, T), 1)  # 1 = excluded
    x2 = x.clone(); x2[-1] = torch.randn(B, 16)
    a, b = layer(x, pad, future), layer(x2, pad, future)
    print("prefix change when last token changes:", (a[:-1] - b[:-1]).abs().max().item())
