from typing import Optional

import torch
import torch.nn as nn
from torch import Tensor


class TransformerEncoderLayer(nn.Module):
    def __init__(self, embed_dim=16, attention_heads=2, ffn_embed_dim=32, normalize_before=False):
        super().__init__()
        self.self_attn = nn.MultiheadAttention(embed_dim, attention_heads, dropout=0.0)
        self.self_attn_layer_norm = nn.LayerNorm(embed_dim)
        self.fc1 = nn.Linear(embed_dim, ffn_embed_dim)
        self.fc2 = nn.Linear(ffn_embed_dim, embed_dim)
        self.final_layer_norm = nn.LayerNorm(embed_dim)
        self.normalize_before = normalize_before

    def forward(self, x, encoder_padding_mask: Optional[Tensor], attn_mask: Optional[Tensor] = None):
        """
        x: `(seq_len, batch, embed_dim)`; encoder_padding_mask: `(batch, seq_len)`, 1 = pad;
        attn_mask: `(tgt_len, src_len)`, 1 = excluded position.
        """
        if attn_mask is not None:
            attn_mask = attn_mask.masked_fill(attn_mask.to(torch.bool), -1e8)
        residual = x
        if self.normalize_before:
            x = self.self_attn_layer_norm(x)
        x, _ = self.self_attn(query=x, key=x, value=x, key_padding_mask=encoder_padding_mask)  # BUG
        x = residual + x
        if not self.normalize_before:
            x = self.self_attn_layer_norm(x)
        residual = x
        x = self.fc2(torch.relu(self.fc1(x)))
        x = residual + x
        if not self.normalize_before:
            x = self.final_layer_norm(x)
        return x


if __name__ == "__main__":
    torch.manual_seed(0)
    layer = TransformerEncoderLayer()
    seq_len, bsz = 6, 2
    x = torch.randn(seq_len, bsz, 16)
    encoder_padding_mask = None
    future = torch.triu(torch.ones(seq_len, seq_len), diagonal=1)
    out = layer(x, encoder_padding_mask, attn_mask=future)
    x2 = x.clone()
    x2[3:] = torch.randn(3, bsz, 16)
    out2 = layer(x2, encoder_padding_mask, attn_mask=future)
    print(f"attn_mask blocks the future, yet leak into positions 0-2: {(out[:3] - out2[:3]).abs().max().item():.4f}")
