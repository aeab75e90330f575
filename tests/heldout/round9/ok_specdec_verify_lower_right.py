"""Speculative decoding verification with a KV cache: the drafted block attends to the
whole prefix plus a causal window among itself (an explicit bottom-right aligned mask).
The single-token decode step needs no mask at all."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class CachedAttention(nn.Module):
    def __init__(self, d=32, heads=4):
        super().__init__()
        self.h = heads
        self.qkv = nn.Linear(d, 3 * d)
        self.o = nn.Linear(d, d)
        self.k = self.v = None

    def forward(self, x):
        B, T, D = x.shape
        q, k, v = self.qkv(x).view(B, T, 3, self.h, D // self.h).permute(2, 0, 3, 1, 4)
        self.k = k if self.k is None else torch.cat([self.k, k], 2)
        self.v = v if self.v is None else torch.cat([self.v, v], 2)
        S = self.k.size(2)
        if T == 1:
            y = F.scaled_dot_product_attention(q, self.k, self.v)
        else:
            keep = torch.ones(T, S, dtype=torch.bool).tril(diagonal=S - T)
            y = F.scaled_dot_product_attention(q, self.k, self.v, attn_mask=keep)
        return self.o(y.transpose(1, 2).reshape(B, T, D))


if __name__ == "__main__":
    torch.manual_seed(0)
    attn = CachedAttention()
    seq = torch.randn(1, 14, 32)
    with torch.no_grad():
        attn(seq[:, :9])                  # prefill
        verified = attn(seq[:, 9:13])     # verify 4 drafted tokens
        bonus = attn(seq[:, 13:])         # one extra decode step
        attn.k = attn.v = None
        full = attn(seq)
    assert torch.allclose(verified, full[:, 9:13], atol=1e-5)
    assert torch.allclose(bonus, full[:, 13:], atol=1e-5)
    print("OK: cached verification and decode equal the full causal recompute")
