"""Sliding-window causal attention; the window comes from a config dict and the mask stays boolean."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class LocalAttention(nn.Module):
    def __init__(self, cfg: dict):
        super().__init__()
        self.heads = cfg.get("heads", 4)
        self.window = cfg.get("window", 16)
        dim = cfg.get("dim", 32)
        self.qkv = nn.Linear(dim, 3 * dim, bias=False)
        self.out = nn.Linear(dim, dim)

    def window_mask(self, T, device):
        i = torch.arange(T, device=device)
        dist = i[:, None] - i[None, :]
        return (dist >= 0) & (dist < self.window)  # True = attend (SDPA convention)

    def forward(self, x):
        B, T, C = x.shape
        q, k, v = self.qkv(x).view(B, T, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=self.window_mask(T, x.device))
        return self.out(y.transpose(1, 2).reshape(B, T, C))


if __name__ == "__main__":
    torch.manual_seed(0)
    m = LocalAttention({"dim": 32, "heads": 4, "window": 2})
    x = torch.randn(1, 6, 32)
    x2 = x.clone(); x2[:, 5] = torch.randn(32)   # future of everything before it
    x3 = x.clone(); x3[:, 0] = torch.randn(32)   # outside the window of t >= 2
    assert torch.allclose(m(x)[:, :5], m(x2)[:, :5], atol=1e-6)
    assert torch.allclose(m(x)[:, 2:], m(x3)[:, 2:], atol=1e-6)
    print("window ok")
