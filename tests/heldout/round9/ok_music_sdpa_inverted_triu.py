"""Drum-pattern generator (symbolic music): SDPA causal self-attention with an explicitly
inverted triu mask (SDPA wants True = attend)."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class DrumAttention(nn.Module):
    def __init__(self, d=32, heads=4):
        super().__init__()
        self.h = heads
        self.qkv = nn.Linear(d, 3 * d)
        self.o = nn.Linear(d, d)

    def forward(self, x):
        B, T, D = x.shape
        q, k, v = self.qkv(x).view(B, T, 3, self.h, D // self.h).permute(2, 0, 3, 1, 4)
        future = torch.triu(torch.ones(T, T, dtype=torch.bool, device=x.device), diagonal=1)
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=~future)
        return self.o(y.transpose(1, 2).reshape(B, T, D))


if __name__ == "__main__":
    torch.manual_seed(0)
    attn = DrumAttention()
    x = torch.randn(2, 16, 32)
    a = attn(x)
    x2 = x.clone()
    x2[:, 10:] = torch.randn(2, 6, 32)
    b = attn(x2)
    assert torch.allclose(a[:, :10], b[:, :10], atol=1e-6), "future leaked"
    assert not torch.isnan(a).any()
    print("OK: steps 0..9 are unaffected by steps 10..15")
