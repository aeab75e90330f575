import math
from typing import Optional

import torch
from torch import nn


class MultiheadSelfAttention(nn.Module):
    def __init__(self, embed_dim, num_heads):
        super().__init__()
        self.embed_dim, self.num_heads = embed_dim, num_heads
        self.head_dim = embed_dim // num_heads
        self.scaling = self.head_dim ** -0.5
        self.input_projection = nn.Linear(embed_dim, 3 * embed_dim)
        self.output_projection = nn.Linear(embed_dim, embed_dim)

    def forward(self, query, key_padding_mask, attn_mask: Optional[torch.Tensor] = None):
        # query: (target_length, batch_size, embed_dim); attn_mask: additive (target_length, source_length)
        target_length, batch_size, embed_dim = query.size()
        q, k, v = self.input_projection(query).chunk(3, dim=-1)
        q = (q * self.scaling).contiguous().view(-1, batch_size * self.num_heads, self.head_dim).transpose(0, 1)
        k = k.contiguous().view(-1, batch_size * self.num_heads, self.head_dim).transpose(0, 1)
        v = v.contiguous().view(-1, batch_size * self.num_heads, self.head_dim).transpose(0, 1)
        attn_weights = torch.bmm(q, k.transpose(1, 2))
        if attn_mask is not None:
            attn_weights += attn_mask.unsqueeze(0)
        attn_weights = attn_weights.view(batch_size, self.num_heads, target_length, -1)
        attn_weights = attn_weights.masked_fill(key_padding_mask.unsqueeze(1).unsqueeze(2), float("-inf"))
        attn_weights = torch.softmax(attn_weights.view(batch_size * self.num_heads, target_length, -1), dim=-1)
        attn = torch.bmm(attn_weights, v).transpose(0, 1).contiguous().view(target_length, batch_size, embed_dim)
        return self.output_projection(attn)


class TransformerEncoder(nn.Module):
    def __init__(self, vocab_size=30, embedding_dim=8, num_attention_heads=2, padding_idx=1):
        super().__init__()
        self.padding_idx = padding_idx
        self.token_embedding = nn.Embedding(vocab_size, embedding_dim, padding_idx)
        self.attention = MultiheadSelfAttention(embedding_dim, num_attention_heads)
        self.layer_norm = nn.LayerNorm(embedding_dim)

    def forward(self, tokens: torch.Tensor, attn_mask: Optional[torch.Tensor] = None):
        if attn_mask is not None:
            torch._assert(attn_mask.is_floating_point() or attn_mask.dtype == torch.bool,
                          f"Only float or bool types are supported for attn_mask not {attn_mask.dtype}")
        padding_mask = tokens.eq(self.padding_idx)
        embedded = self.token_embedding(tokens).transpose(0, 1)
        if attn_mask is not None and attn_mask.dtype == torch.bool:
            new_attn_mask = torch.zeros_like(attn_mask, dtype=embedded.dtype)
            new_attn_mask.masked_fill_(attn_mask, -1e8 if embedded.dtype == torch.float32 else -1e4)
            attn_mask = new_attn_mask
        x = self.layer_norm(embedded + self.attention(embedded, padding_mask, attn_mask))
        return x.transpose(0, 1)


def run():
    model = TransformerEncoder()
    tokens = torch.tensor([[0, 5, 6, 7, 2], [0, 8, 2, 1, 1]])
    causal = torch.triu(torch.ones(5, 5, dtype=torch.bool), diagonal=1)  # True = not allowed
    return model(tokens, attn_mask=causal)
