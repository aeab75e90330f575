import math

import torch
import torch.nn as nn
import torch.nn.functional as F


class FunctionalSelfAttention(nn.Module):
    """Self-attention whose weights are plain parameters, so they can be swapped in
    meta-learning inner loops; calls F.multi_head_attention_forward directly.
    Inputs are sequence-first: (seq_len, batch, embed_dim)."""

    def __init__(self, embed_dim, num_heads, dropout=0.0):
        super().__init__()
        self.embed_dim = embed_dim
        self.num_heads = num_heads
        self.dropout = dropout
        self.in_proj_weight = nn.Parameter(torch.empty(3 * embed_dim, embed_dim))
        self.in_proj_bias = nn.Parameter(torch.zeros(3 * embed_dim))
        self.out_proj = nn.Linear(embed_dim, embed_dim)
        nn.init.xavier_uniform_(self.in_proj_weight)

    def forward(self, x, key_padding_mask=None, params=None):
        w = params["in_proj_weight"] if params else self.in_proj_weight
        out, _ = F.multi_head_attention_forward(
            x, x, x, self.embed_dim, self.num_heads,
            w, self.in_proj_bias, None, None, False, self.dropout,
            self.out_proj.weight, self.out_proj.bias,
            training=self.training, key_padding_mask=key_padding_mask, need_weights=False,
        )
        return out


class EventSequenceModel(nn.Module):
    def __init__(self, num_event_types=20, embed_dim=16, num_heads=2, pad_idx=0):
        super().__init__()
        self.pad_idx = pad_idx
        self.embed = nn.Embedding(num_event_types, embed_dim, padding_idx=pad_idx)
        self.attn = FunctionalSelfAttention(embed_dim, num_heads)
        self.head = nn.Linear(embed_dim, 1)

    def forward(self, events):
        # events: (seq_len, batch) event ids, padded with pad_idx at the end
        x = self.embed(events) * math.sqrt(self.embed.embedding_dim)
        key_padding_mask = events == self.pad_idx  # BUG: (seq_len, batch) layout; key_padding_mask must be (batch, seq_len)
        h = x + self.attn(x, key_padding_mask=key_padding_mask)
        valid = (events != self.pad_idx).unsqueeze(-1).float()
        return self.head((h * valid).sum(0) / valid.sum(0)).squeeze(-1)
