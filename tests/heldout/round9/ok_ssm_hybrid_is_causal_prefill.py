"""Hybrid SSM/attention LM: prefill uses SDPA is_causal=True (queries == keys), and each
decode step attends from one new token to the whole cache, which needs no mask."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class HybridAttention(nn.Module):
    def __init__(self, d=32, heads=4):
        super().__init__()
        self.h = heads
        self.qkv = nn.Linear(d, 3 * d)
        self.o = nn.Linear(d, d)

    def forward(self, x, cache=None):
        B, T, D = x.shape
        q, k, v = self.qkv(x).view(B, T, 3, self.h, D // self.h).permute(2, 0, 3, 1, 4)
        if cache is None:
            y = F.scaled_dot_product_attention(q, k, v, is_causal=True)
            cache = (k, v)
        else:
            assert T == 1
            k = torch.cat([cache[0], k], 2)
            v = torch.cat([cache[1], v], 2)
            cache = (k, v)
            y = F.scaled_dot_product_attention(q, k, v)
        return self.o(y.transpose(1, 2).reshape(B, T, D)), cache


if __name__ == "__main__":
    torch.manual_seed(0)
    attn = HybridAttention()
    x = torch.randn(2, 10, 32)
    with torch.no_grad():
        full, _ = attn(x)
        pre, cache = attn(x[:, :7])
        steps = []
        for t in range(7, 10):
            y, cache = attn(x[:, t:t + 1], cache)
            steps.append(y)
    assert torch.allclose(pre, full[:, :7], atol=1e-5)
    assert torch.allclose(torch.cat(steps, 1), full[:, 7:], atol=1e-5)
    print("OK: prefill + cached decode match the full causal pass")
