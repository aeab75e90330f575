"""Token encoder that drives F.multi_head_attention_forward with its own parameters (fairseq-style, T x B x C)."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


class FunctionalSelfAttention(nn.Module):
    def __init__(self, embed_dim: int, num_heads: int, dropout: float = 0.0):
        super().__init__()
        self.embed_dim, self.num_heads, self.dropout = embed_dim, num_heads, dropout
        self.in_proj_weight = nn.Parameter(torch.empty(3 * embed_dim, embed_dim))
        self.in_proj_bias = nn.Parameter(torch.zeros(3 * embed_dim))
        self.out_proj = nn.Linear(embed_dim, embed_dim)
        nn.init.xavier_uniform_(self.in_proj_weight)

    def forward(self, x: torch.Tensor, key_padding_mask: torch.Tensor) -> torch.Tensor:
        out, _ = F.multi_head_attention_forward(
            x, x, x, self.embed_dim, self.num_heads,
            self.in_proj_weight, self.in_proj_bias,
            None, None, False, self.dropout,
            self.out_proj.weight, self.out_proj.bias,
            training=self.training,
            key_padding_mask=key_padding_mask,
            need_weights=False,
        )
        return out


class TokenEncoder(nn.Module):
    def __init__(self, vocab_size: int, embed_dim: int = 64, num_heads: int = 4, num_layers: int = 2,
                 padding_idx: int = 1):
        super().__init__()
        self.padding_idx = padding_idx
        self.embed_scale = math.sqrt(embed_dim)
        self.embed_tokens = nn.Embedding(vocab_size, embed_dim, padding_idx=padding_idx)
        self.layers = nn.ModuleList(FunctionalSelfAttention(embed_dim, num_heads) for _ in range(num_layers))
        self.norms = nn.ModuleList(nn.LayerNorm(embed_dim) for _ in range(num_layers))

    def forward(self, src_tokens: torch.Tensor) -> torch.Tensor:
        """src_tokens: (T, B) token ids, time-major like the features."""
        x = self.embed_tokens(src_tokens) * self.embed_scale  # (T, B, C)
        encoder_padding_mask = src_tokens.eq(self.padding_idx)  # BUG
        for attn, norm in zip(self.layers, self.norms):
            x = norm(x + attn(x, encoder_padding_mask))
        return x
