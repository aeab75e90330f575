from typing import Optional

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch import Tensor


class TransformerEncoderLayer(nn.Module):
    def __init__(self, embed_dim: int = 512, heads: int = 8, ffn_dim: int = 2048, dropout: float = 0.1,
                 normalize_before: bool = False):
        super().__init__()
        self.embed_dim = embed_dim
        self.self_attn = nn.MultiheadAttention(embed_dim, heads, dropout=dropout)
        self.self_attn_layer_norm = nn.LayerNorm(embed_dim)
        self.dropout = dropout
        self.normalize_before = normalize_before
        self.fc1 = nn.Linear(embed_dim, ffn_dim)
        self.fc2 = nn.Linear(ffn_dim, embed_dim)
        self.final_layer_norm = nn.LayerNorm(embed_dim)

    def maybe_layer_norm(self, layer_norm, x, before=False, after=False):
        assert before ^ after
        return layer_norm(x) if after ^ self.normalize_before else x

    def forward(self, x: Tensor, encoder_padding_mask: Optional[Tensor], attn_mask: Optional[Tensor] = None):
        """x: (seq_len, batch, embed_dim); encoder_padding_mask: (batch, src_len);
        attn_mask: (tgt_len, src_len), 1 = exclude position."""
        residual = x
        x = self.maybe_layer_norm(self.self_attn_layer_norm, x, before=True)
        if attn_mask is not None:
            attn_mask = attn_mask.masked_fill(attn_mask.to(torch.bool), -1e8)
        x, _ = self.self_attn(query=x, key=x, value=x, key_padding_mask=encoder_padding_mask, attn_mask=attn_mask)
        x = F.dropout(x, p=self.dropout, training=self.training)
        x = residual + x
        x = self.maybe_layer_norm(self.self_attn_layer_norm, x, after=True)

        residual = x
        x = self.maybe_layer_norm(self.final_layer_norm, x, before=True)
        x = F.relu(self.fc1(x))
        x = F.dropout(self.fc2(x), p=self.dropout, training=self.training)
        x = residual + x
        return self.maybe_layer_norm(self.final_layer_norm, x, after=True)


if __name__ == "__main__":
    layer = TransformerEncoderLayer()
    src_len, bsz = 12, 3
    x = torch.randn(src_len, bsz, 512)
    pad = torch.zeros(bsz, src_len, dtype=torch.bool)
    pad[2, 8:] = True
    # local attention: exclude positions more than 3 tokens away
    idx = torch.arange(src_len)
    local = ((idx[None, :] - idx[:, None]).abs() > 3).float()
    print(layer(x, pad, attn_mask=local).shape)
