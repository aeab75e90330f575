"""RoBERTa encoder layers (time-major, T x B x C) on top of scaled_dot_product_attention."""
from typing import Optional

import torch
import torch.nn.functional as F
from torch import nn


class MultiheadSelfAttention(nn.Module):
    def __init__(self, embed_dim: int, num_heads: int, dropout: float = 0.1):
        super().__init__()
        self.num_heads, self.head_dim = num_heads, embed_dim // num_heads
        self.in_proj = nn.Linear(embed_dim, 3 * embed_dim)
        self.out_proj = nn.Linear(embed_dim, embed_dim)
        self.dropout = dropout

    def forward(self, query: torch.Tensor, key_padding_mask: Optional[torch.Tensor] = None) -> torch.Tensor:
        """query: (T, B, C); key_padding_mask: (B, T) bool, True = padding."""
        t, b, c = query.shape
        q, k, v = self.in_proj(query).view(t, b, 3, self.num_heads, self.head_dim).permute(2, 1, 3, 0, 4)
        attn_mask = None
        if key_padding_mask is not None:
            neg = -1e8 if query.dtype == torch.float32 else -1e4
            attn_mask = torch.zeros(key_padding_mask.shape, dtype=query.dtype, device=query.device)
            attn_mask = attn_mask.masked_fill(key_padding_mask, neg)[:, None, None, :]
        out = F.scaled_dot_product_attention(
            q, k, v, attn_mask=attn_mask, dropout_p=self.dropout if self.training else 0.0
        )
        return self.out_proj(out.permute(2, 0, 1, 3).reshape(t, b, c))


class TransformerEncoderLayer(nn.Module):
    def __init__(self, embedding_dim: int = 768, num_attention_heads: int = 12, ffn_dimension: int = 3072,
                 dropout: float = 0.1, normalize_before: bool = False):
        super().__init__()
        self.attention = MultiheadSelfAttention(embedding_dim, num_attention_heads, dropout)
        self.attention_layer_norm = nn.LayerNorm(embedding_dim)
        self.residual_mlp = nn.Sequential(nn.Linear(embedding_dim, ffn_dimension), nn.GELU(),
                                          nn.Dropout(dropout), nn.Linear(ffn_dimension, embedding_dim))
        self.final_layer_norm = nn.LayerNorm(embedding_dim)
        self.dropout = nn.Dropout(dropout)
        self.normalize_before = normalize_before

    def forward(self, x: torch.Tensor, padding_mask: Optional[torch.Tensor] = None) -> torch.Tensor:
        if self.normalize_before:
            x = x + self.dropout(self.attention(self.attention_layer_norm(x), padding_mask))
            return x + self.dropout(self.residual_mlp(self.final_layer_norm(x)))
        x = self.attention_layer_norm(x + self.dropout(self.attention(x, padding_mask)))
        return self.final_layer_norm(x + self.dropout(self.residual_mlp(x)))
