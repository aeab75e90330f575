from typing import Optional

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch import Tensor


class TransformerEncoderLayer(nn.Module):
    """Encoder layer block (post-norm). Inputs are (seq_len, batch, embed_dim)."""

    def __init__(self, embed_dim=8, attention_heads=2, ffn_embed_dim=16, dropout=0.0):
        super().__init__()
        self.self_attn = nn.MultiheadAttention(embed_dim, attention_heads, dropout=dropout)
        self.self_attn_layer_norm = nn.LayerNorm(embed_dim)
        self.fc1 = nn.Linear(embed_dim, ffn_embed_dim)
        self.fc2 = nn.Linear(ffn_embed_dim, embed_dim)
        self.final_layer_norm = nn.LayerNorm(embed_dim)
        self.dropout = dropout

    def forward(self, x: Tensor, encoder_padding_mask: Tensor, attn_mask: Optional[Tensor] = None):
        """
        Args:
            x: input of shape `(seq_len, batch, embed_dim)`
            encoder_padding_mask: `(batch, seq_len)`, 1 for padding elements
            attn_mask: binary `(tgt_len, src_len)`, attn_mask[t_i, s_j] = 1 means s_j is excluded for t_i
        """
        if attn_mask is not None:
            attn_mask = attn_mask.to(torch.bool)
        residual = x
        x, _ = self.self_attn(query=x, key=x, value=x, key_padding_mask=encoder_padding_mask, attn_mask=attn_mask)
        x = F.dropout(x, p=self.dropout, training=self.training)
        x = self.self_attn_layer_norm(residual + x)
        residual = x
        x = self.fc2(F.relu(self.fc1(x)))
        return self.final_layer_norm(residual + x)


def local_window_mask(seq_len, window=1):
    idx = torch.arange(seq_len)
    return ((idx[:, None] - idx[None, :]).abs() > window).float()


def run():
    layer = TransformerEncoderLayer()
    x = torch.randn(5, 2, 8)
    encoder_padding_mask = torch.tensor([[False] * 5, [False] * 4 + [True]])
    return layer(x, encoder_padding_mask, attn_mask=local_window_mask(5))
