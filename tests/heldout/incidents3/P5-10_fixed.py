"""Transformer encoder layer (fairseq conventions: T x B x C, padding mask B x T with True at pads)."""
from typing import Optional

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch import Tensor


class TransformerEncoderLayer(nn.Module):
    def __init__(self, embed_dim: int = 512, num_heads: int = 8, ffn_dim: int = 2048, dropout: float = 0.1,
                 normalize_before: bool = False):
        super().__init__()
        self.self_attn = nn.MultiheadAttention(embed_dim, num_heads, dropout=dropout)
        self.self_attn_layer_norm = nn.LayerNorm(embed_dim)
        self.fc1 = nn.Linear(embed_dim, ffn_dim)
        self.fc2 = nn.Linear(ffn_dim, embed_dim)
        self.final_layer_norm = nn.LayerNorm(embed_dim)
        self.dropout = dropout
        self.normalize_before = normalize_before

    def forward(self, x: Tensor, encoder_padding_mask: Optional[Tensor], attn_mask: Optional[Tensor] = None) -> Tensor:
        """
        attn_mask: (T_tgt, T_src) binary mask, 1 = position may NOT be attended to
        (used for local/chunked attention in streaming models).
        """
        if attn_mask is not None:
            attn_mask = attn_mask.to(torch.bool)
        residual = x
        if self.normalize_before:
            x = self.self_attn_layer_norm(x)
        x, _ = self.self_attn(
            query=x, key=x, value=x, key_padding_mask=encoder_padding_mask, attn_mask=attn_mask
        )
        x = residual + F.dropout(x, p=self.dropout, training=self.training)
        if not self.normalize_before:
            x = self.self_attn_layer_norm(x)

        residual = x
        if self.normalize_before:
            x = self.final_layer_norm(x)
        x = self.fc2(F.dropout(F.relu(self.fc1(x)), p=self.dropout, training=self.training))
        x = residual + F.dropout(x, p=self.dropout, training=self.training)
        if not self.normalize_before:
            x = self.final_layer_norm(x)
        return x


def chunk_attention_mask(seq_len: int, chunk: int, device=None) -> Tensor:
    """1 where query and key lie in different chunks or the key is in a future chunk."""
    idx = torch.arange(seq_len, device=device) // chunk
    return (idx[None, :] > idx[:, None]).to(torch.uint8)
