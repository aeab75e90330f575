"""Masks over [memory ; segment] keys (Transformer-XL, recurrent memory, a prompt cache): memory
columns every query sees, then a causal triangle.  Still causal masks, with their polarity."""
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
        mask = block_mask(h.size(1), memory.size(1))
        return self.attn(h, kv, kv, mask, need_weights=False)[0]  # expect: ML501


def sdpa_with_memory(q, k, v, mem_len: int):
    L = q.size(-2)
    blocked = torch.cat([torch.zeros(L, mem_len, dtype=torch.bool),
                         torch.ones(L, L, dtype=torch.bool).triu(diagonal=1)], dim=-1)
    return F.scaled_dot_product_attention(q, k, v, attn_mask=blocked)  # expect: ML102


def keep_with_memory_into_mha(x, mem, attn: nn.MultiheadAttention):
    L, M = x.size(1), mem.size(1)
    visible = torch.cat([torch.ones(L, M, dtype=torch.bool), torch.ones(L, L, dtype=torch.bool).tril()], dim=1)
    kv = torch.cat([mem, x], 1)
    return attn(x, kv, kv, attn_mask=visible)[0]  # expect: ML101
