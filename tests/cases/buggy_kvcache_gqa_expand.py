"""Keys grown by a KV cache stay cached keys when expanded to the query heads (multi-query
`expand`, grouped-query `repeat_interleave`): is_causal=True on them aligns the mask top-left."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class MultiQuery(nn.Module):
    def __init__(self, dim=64, heads=8):
        super().__init__()
        self.h, self.hd = heads, dim // heads
        self.q, self.kv = nn.Linear(dim, dim), nn.Linear(dim, 2 * self.hd)

    def forward(self, x, cache=None):
        B, T, _ = x.shape
        q = self.q(x).view(B, T, self.h, self.hd).transpose(1, 2)
        k, v = self.kv(x).unsqueeze(1).split(self.hd, dim=-1)
        if cache is not None:
            k, v = torch.cat([cache[0], k], dim=2), torch.cat([cache[1], v], dim=2)
        y = F.scaled_dot_product_attention(  # expect: ML405
            q, k.expand(-1, self.h, -1, -1), v.expand(-1, self.h, -1, -1), is_causal=True)
        return y, (k, v)


class GroupedQuery(nn.Module):
    def __init__(self, dim=64, heads=8, kv_heads=2):
        super().__init__()
        self.h, self.kvh, self.hd = heads, kv_heads, dim // heads
        self.q, self.kv = nn.Linear(dim, dim), nn.Linear(dim, 2 * kv_heads * self.hd)

    def forward(self, x, past_kv=None):
        B, T, _ = x.shape
        q = self.q(x).view(B, T, self.h, self.hd).transpose(1, 2)
        k, v = self.kv(x).view(B, T, 2, self.kvh, self.hd).permute(2, 0, 3, 1, 4)
        if past_kv is not None:
            k = torch.cat([past_kv[0], k], dim=-2)
            v = torch.cat([past_kv[1], v], dim=-2)
        rep = self.h // self.kvh
        keys, values = k.repeat_interleave(rep, dim=1), v.repeat_interleave(rep, dim=1)
        return F.scaled_dot_product_attention(q, keys, values, is_causal=True), (k, v)  # expect: ML405
