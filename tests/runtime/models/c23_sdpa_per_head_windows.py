"""Correct: multi-scale local attention, one window width per head (a genuinely per-head (H, T, T)
bool keep mask, True = attend) with batch 2 == heads 2; plus the per-sample padding mask given
its own head dimension."""
import torch
import torch.nn as nn
import torch.nn.functional as F

KIND = "correct"


class MultiScale(nn.Module):
    def __init__(self, dim=16, heads=2, widths=(2, 4)):
        super().__init__()
        self.heads, self.widths = heads, widths
        self.qkv = nn.Linear(dim, 3 * dim)

    def forward(self, x, keep):
        B, T, C = x.shape
        q, k, v = self.qkv(x).reshape(B, T, 3, self.heads, C // self.heads).permute(2, 0, 3, 1, 4)
        i = torch.arange(T)
        local = torch.stack([(i[:, None] - i[None, :]).abs() <= w for w in self.widths])  # (H, T, T)
        mask = local[None] & keep[:, None, None, :]  # (B, H, T, T)
        return F.scaled_dot_product_attention(q, k, v, attn_mask=mask)


def run():
    torch.manual_seed(0)
    x = torch.randn(2, 6, 16)
    keep = torch.tensor([[1, 1, 1, 1, 1, 1], [1, 1, 1, 1, 0, 0]]).bool()
    m = MultiScale().train()
    out = m(x, keep)
    out.sum().backward()
    return (out.detach(), m.qkv.weight.grad)
