"""Sliding-window decoding with a rolling KV cache (Mistral-style) and a bool window mask for prefill."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class RollingCache:
    def __init__(self, window):
        self.window, self.k, self.v = window, None, None

    def append(self, k, v):
        self.k = k if self.k is None else torch.cat([self.k, k], 2)
        self.v = v if self.v is None else torch.cat([self.v, v], 2)
        self.k, self.v = self.k[:, :, -self.window:], self.v[:, :, -self.window:]


class WindowAttention(nn.Module):
    def __init__(self, dim=32, heads=4, window=3):
        super().__init__()
        self.heads, self.window = heads, window
        self.qkv = nn.Linear(dim, 3 * dim)

    def forward(self, x, cache: RollingCache):
        B, T, C = x.shape
        q, k, v = self.qkv(x).view(B, T, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        if T > 1:  # prefill on an empty cache
            i = torch.arange(T, device=x.device)
            d = i[:, None] - i[None, :]
            y = F.scaled_dot_product_attention(q, k, v, attn_mask=(d >= 0) & (d < self.window))
            cache.append(k, v)
        else:  # one new token: everything left in the rolling cache is in its window
            cache.append(k, v)
            y = F.scaled_dot_product_attention(q, cache.k, cache.v)
        return y.transpose(1, 2).reshape(B, T, C)


@torch.no_grad()
def decode(attn, x_prompt, x_next):
    cache = RollingCache(attn.window)
    outs = [attn(x_prompt, cache)]
    for t in range(x_next.size(1)):
        outs.append(attn(x_next[:, t:t + 1], cache))
    return torch.cat(outs, 1)


if __name__ == "__main__":
    torch.manual_seed(0)
    attn = WindowAttention()
    xp, xn = torch.randn(1, 4, 32), torch.randn(1, 3, 32)
    inc = decode(attn, xp, xn)
    with torch.no_grad():
        full = attn(torch.cat([xp, xn], 1), RollingCache(3))
    assert torch.allclose(inc, full, atol=1e-5)
    print("rolling window ok")
