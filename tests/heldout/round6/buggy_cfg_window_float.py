"""Sliding-window causal attention; the window comes from a config dict."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


class LocalAttention(nn.Module):
    def __init__(self, cfg: dict):
        super().__init__()
        self.dim = cfg.get("dim", 64)
        self.heads = cfg.get("heads", 4)
        self.window = cfg.get("window", 16)
        self.head_dim = self.dim // self.heads
        self.qkv = nn.Linear(self.dim, 3 * self.dim, bias=False)
        self.out = nn.Linear(self.dim, self.dim)

    def window_mask(self, T: int, device) -> torch.Tensor:
        # 1 where |i - j| is inside the causal window, 0 elsewhere
        ones = torch.ones(T, T, device=device)
        return ones.tril().triu(-(self.window - 1))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        B, T, _ = x.shape
        qkv = self.qkv(x).view(B, T, 3, self.heads, self.head_dim).permute(2, 0, 3, 1, 4)
        q, k, v = qkv.unbind(0)
        mask = self.window_mask(T, x.device)
        y = F.scaled_dot_product_attention(
            q, k, v,
            attn_mask=mask,  # expect: ML202
            scale=1.0 / math.sqrt(self.head_dim),
        )
        return self.out(y.transpose(1, 2).reshape(B, T, self.dim))


if __name__ == "__main__":
    torch.manual_seed(0)
    m = LocalAttention({"dim": 64, "heads": 4, "window": 2})
    x = torch.randn(1, 6, 64)
    y = m(x)
    x2 = x.clone(); x2[:, -1] += 5
    print("future leaks:", (m(x2)[:, 0] - y[:, 0]).abs().max().item() > 1e-4)
