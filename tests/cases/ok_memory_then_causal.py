"""The same [memory ; segment] masks, each given the polarity its API reads."""
import torch
import torch.nn as nn
import torch.nn.functional as F


def block_mask(seg_len: int, mem_len: int) -> torch.Tensor:
    seg = torch.ones(seg_len, seg_len, dtype=torch.bool).triu(1)
    mem = torch.zeros(seg_len, mem_len, dtype=torch.bool)
    return torch.cat([mem, seg], dim=1)


class MemoryBlock(nn.Module):
    def __init__(self, dim=32, heads=4):
        super().__init__()
        self.attn = nn.MultiheadAttention(dim, heads, batch_first=True)

    def forward(self, h, memory):
        kv = torch.cat([memory, h], dim=1)
        return self.attn(h, kv, kv, attn_mask=block_mask(h.size(1), memory.size(1)), need_weights=False)[0]


def sdpa_with_memory(q, k, v, mem_len: int):
    L = q.size(-2)
    visible = torch.cat([torch.ones(L, mem_len, dtype=torch.bool),
                         torch.ones(L, L, dtype=torch.bool).tril()], dim=-1)
    return F.scaled_dot_product_attention(q, k, v, attn_mask=visible)


def additive_with_memory(x, mem, attn: nn.MultiheadAttention):
    L, M = x.size(1), mem.size(1)
    bias = torch.cat([torch.zeros(L, M), torch.full((L, L), float("-inf")).triu(1)], dim=1)
    kv = torch.cat([mem, x], 1)
    return attn(x, kv, kv, attn_mask=bias)[0]


block_out = MemoryBlock()(torch.randn(2, 5, 32), torch.randn(2, 3, 32))
