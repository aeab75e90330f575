import math
from typing import Optional

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch import Tensor


class MultiheadSelfAttention(nn.Module):
    def __init__(self, embed_dim, num_heads, dropout=0.1):
        super().__init__()
        self.embed_dim = embed_dim
        self.num_heads = num_heads
        self.head_dim = embed_dim // num_heads
        self.scaling = 1.0 / math.sqrt(self.head_dim)
        self.input_projection = nn.Linear(embed_dim, 3 * embed_dim)
        self.output_projection = nn.Linear(embed_dim, embed_dim)
        self.dropout = nn.Dropout(dropout)

    def forward(self, query: Tensor, key_padding_mask: Tensor, attn_mask: Optional[Tensor] = None):
        target_length, batch_size, embed_dim = query.size()
        mask_batch_size, source_length = key_padding_mask.size()
        projection = self.input_projection(query)
        q, k, v = projection.chunk(3, dim=-1)
        q = (self.scaling * q).contiguous().view(-1, batch_size * self.num_heads, self.head_dim).transpose(0, 1)
        k = k.contiguous().view(-1, batch_size * self.num_heads, self.head_dim).transpose(0, 1)
        v = v.contiguous().view(-1, batch_size * self.num_heads, self.head_dim).transpose(0, 1)

        attn_weights = torch.bmm(q, k.transpose(1, 2))
        if attn_mask is not None:
            torch._assert(attn_mask.dim() == 2, "Expected attn_mask of dim 2")
            if attn_mask.dtype == torch.bool:
                new_attn_mask = torch.zeros_like(attn_mask, dtype=attn_weights.dtype)
                new_attn_mask.masked_fill_(attn_mask, -1e8 if attn_weights.dtype == torch.float32 else -1e4)
                attn_mask = new_attn_mask
            attn_weights += attn_mask.unsqueeze(0)
        attn_weights = attn_weights.view(batch_size, self.num_heads, target_length, source_length)
        attn_weights = attn_weights.masked_fill(key_padding_mask.unsqueeze(1).unsqueeze(2), -1e8)
        attn_weights = attn_weights.view(batch_size * self.num_heads, target_length, source_length)
        attn_weights = F.softmax(attn_weights, dim=-1, dtype=torch.float32).type_as(attn_weights)
        attn_weights = self.dropout(attn_weights)
        attn = torch.bmm(attn_weights, v).transpose(0, 1).contiguous().view(target_length, batch_size, embed_dim)
        return self.output_projection(attn)


if __name__ == "__main__":
    attn = MultiheadSelfAttention(embed_dim=32, num_heads=4)
    T, B = 6, 2
    x = torch.randn(T, B, 32)
    key_padding_mask = torch.zeros(B, T, dtype=torch.bool)
    key_padding_mask[1, 4:] = True
    causal = torch.triu(torch.ones(T, T, dtype=torch.bool), diagonal=1)
    print(attn(x, key_padding_mask, attn_mask=causal).shape)
