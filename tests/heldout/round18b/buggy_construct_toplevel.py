"""Quick experiment: causal fusion of IMU and GPS tokens for dead reckoning."""
import torch
import torch.nn as nn


class GatedSelfAttention(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.attn = nn.MultiheadAttention(dim, heads, batch_first=True)
        self.gate = nn.Linear(dim, dim)
        self.norm = nn.LayerNorm(dim)

    def forward(self, x, attn_mask=None):
        h = self.norm(x)
        a, _ = self.attn(h, h, h, attn_mask=attn_mask)
        return x + torch.sigmoid(self.gate(h)) * a


torch.manual_seed(0)
L = 12
imu = torch.randn(4, L, 16)
gps = torch.randn(4, L, 16)
tokens = torch.cat([imu, gps], dim=-1)
fused = GatedSelfAttention(32, 4)(tokens, torch.tril(torch.ones(L, L, dtype=torch.bool)))  # BUG: tril keep mask given to a module whose attn_mask feeds nn.MultiheadAttention (True = blocked)
heading = fused[..., :2].cumsum(1)
print("heading", tuple(heading.shape), round(heading.abs().mean().item(), 5))
