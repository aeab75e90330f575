import math
from typing import Optional

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch import Tensor


class MultiheadSelfAttention(nn.Module):
    def __init__(self, embed_dim: int, num_heads: int, dropout: float = 0.1):
        super().__init__()
        self.num_heads = num_heads
        self.head_dim = embed_dim // num_heads
        self.input_projection = nn.Linear(embed_dim, 3 * embed_dim)
        self.output_projection = nn.Linear(embed_dim, embed_dim)
        self.dropout = dropout

    def forward(self, query: Tensor, key_padding_mask: Tensor, attn_mask: Optional[Tensor] = None) -> Tensor:
        # query: (T, B, C); key_padding_mask: (B, T) bool, True = pad
        target_length, batch_size, embed_dim = query.size()
        q, k, v = self.input_projection(query).chunk(3, dim=-1)
        q = q.contiguous().view(-1, batch_size * self.num_heads, self.head_dim).transpose(0, 1) / math.sqrt(self.head_dim)
        k = k.contiguous().view(-1, batch_size * self.num_heads, self.head_dim).transpose(0, 1)
        v = v.contiguous().view(-1, batch_size * self.num_heads, self.head_dim).transpose(0, 1)

        attn_weights = torch.bmm(q, k.transpose(1, 2))
        if attn_mask is not None:
            if attn_mask.dtype == torch.bool:
                new_mask = torch.zeros_like(attn_mask, dtype=attn_weights.dtype)
                neg = -1e8 if attn_weights.dtype == torch.float32 else -1e4
                attn_mask = new_mask.masked_fill(attn_mask, neg)
            attn_weights = attn_weights + attn_mask

        attn_weights = attn_weights.view(batch_size, self.num_heads, target_length, -1)
        attn_weights = attn_weights.masked_fill(key_padding_mask[:, None, None, :], float("-inf"))
        attn_weights = attn_weights.view(batch_size * self.num_heads, target_length, -1)
        attn_probs = F.dropout(F.softmax(attn_weights, dim=-1), p=self.dropout, training=self.training)
        out = torch.bmm(attn_probs, v).transpose(0, 1).contiguous().view(target_length, batch_size, embed_dim)
        return self.output_projection(out)


if __name__ == "__main__":
    attn = MultiheadSelfAttention(embed_dim=768, num_heads=12)
    T, B = 10, 2
    x = torch.randn(T, B, 768)
    pad = torch.zeros(B, T, dtype=torch.bool)
    pad[1, 7:] = True
    causal = torch.triu(torch.ones(T, T, dtype=torch.bool), diagonal=1)
    print(attn(x, pad, attn_mask=causal).shape)
