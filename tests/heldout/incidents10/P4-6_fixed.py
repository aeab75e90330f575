"""Reproducer-style script (pytorch#99282): causal self-attention with
nn.MultiheadAttention using only is_causal (need_weights left at its default).
In eval on the fast path the hint is ignored (silent, unmasked)."""
import torch
import torch.nn as nn


class Block(nn.Module):
    def __init__(self, dim=16, heads=2):
        super().__init__()
        self.attn = nn.MultiheadAttention(dim, heads, batch_first=True)
        self.ln = nn.LayerNorm(dim)

    def forward(self, x):
        h = self.ln(x)
        mask = torch.triu(torch.ones(x.size(1), x.size(1), dtype=torch.bool), 1)
        out, weights = self.attn(h, h, h, attn_mask=mask, is_causal=True)
        return x + out


if __name__ == "__main__":
    torch.manual_seed(0)
    blk = Block().eval()
    x = torch.randn(2, 5, 16)
    x2 = x.clone(); x2[:, -1] = torch.randn(2, 16)
    with torch.no_grad():
        a, b = blk(x), blk(x2)
    print("prefix change when last token changes:", (a[:, :-1] - b[:, :-1]).abs().max().item())
