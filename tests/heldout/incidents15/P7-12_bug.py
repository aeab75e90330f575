from typing import Optional

import torch
import torch.nn as nn
from torch import Tensor


class TransformerEncoderLayer(nn.Module):
    def __init__(self, embed_dim=16, attention_heads=2, ffn_embed_dim=32):
        super().__init__()
        self.self_attn = nn.MultiheadAttention(embed_dim, attention_heads, dropout=0.0)
        self.self_attn_layer_norm = nn.LayerNorm(embed_dim)
        self.fc1 = nn.Linear(embed_dim, ffn_embed_dim)
        self.fc2 = nn.Linear(ffn_embed_dim, embed_dim)
        self.final_layer_norm = nn.LayerNorm(embed_dim)

    def forward(self, x, encoder_padding_mask: Optional[Tensor], attn_mask: Optional[Tensor] = None):
        if attn_mask is not None:
            attn_mask = attn_mask.masked_fill(attn_mask.to(torch.bool), -1e8)  # BUG
        residual = x
        x, _ = self.self_attn(query=x, key=x, value=x, key_padding_mask=encoder_padding_mask, attn_mask=attn_mask)
        x = self.self_attn_layer_norm(residual + x)
        residual = x
        x = self.fc2(torch.relu(self.fc1(x)))
        return self.final_layer_norm(residual + x)


class TransformerEncoder(nn.Module):
    def __init__(self, num_layers=2, embed_dim=16):
        super().__init__()
        self.layers = nn.ModuleList(TransformerEncoderLayer(embed_dim) for _ in range(num_layers))

    def forward(self, x, attn_mask):
        for layer in self.layers:
            x = layer(x, encoder_padding_mask=None, attn_mask=attn_mask)
        return x


if __name__ == "__main__":
    torch.manual_seed(0)
    model = TransformerEncoder().half()
    seq_len, bsz = 6, 2
    x = torch.randn(seq_len, bsz, 16).half()
    local_mask = (torch.arange(seq_len)[:, None] - torch.arange(seq_len)[None, :]).abs() > 1
    try:
        out = model(x, attn_mask=local_mask.to(x.dtype))
        print(f"fp16 forward ok, finite: {bool(torch.isfinite(out).all())}")
    except RuntimeError as e:
        print(f"RuntimeError: {e}")
