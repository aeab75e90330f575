"""braindecode.models - EEG conformer-style encoder block.

The block was ported from a hand-written attention (mask True = may attend)
to torch.nn.MultiheadAttention.
"""
import torch
from torch import nn


def _causal_keep_mask(n_times: int, device=None) -> torch.Tensor:
    """Lower-triangular mask, True where a time step may attend."""
    return torch.tril(torch.ones(n_times, n_times, dtype=torch.bool, device=device))


class _TransformerBlock(nn.Module):
    def __init__(self, emb_size=40, att_heads=4, att_drop=0.0, forward_expansion=2):
        super().__init__()
        self.norm1 = nn.LayerNorm(emb_size)
        self.attention = nn.MultiheadAttention(emb_size, att_heads, dropout=att_drop, batch_first=True)
        self.norm2 = nn.LayerNorm(emb_size)
        self.ff = nn.Sequential(
            nn.Linear(emb_size, forward_expansion * emb_size), nn.GELU(),
            nn.Linear(forward_expansion * emb_size, emb_size))

    def forward(self, x, mask=None):
        h = self.norm1(x)
        att_out, _ = self.attention(h, h, h, attn_mask=None if mask is None else ~mask, need_weights=False)
        x = x + att_out
        return x + self.ff(self.norm2(x))


class CausalEEGEncoder(nn.Module):
    def __init__(self, n_chans=8, emb_size=40, depth=2):
        super().__init__()
        self.embed = nn.Linear(n_chans, emb_size)
        self.blocks = nn.ModuleList([_TransformerBlock(emb_size) for _ in range(depth)])

    def forward(self, x):  # x: (batch, n_times, n_chans)
        x = self.embed(x)
        mask = _causal_keep_mask(x.shape[1], x.device)
        for blk in self.blocks:
            x = blk(x, mask)
        return x


if __name__ == "__main__":
    torch.manual_seed(0)
    model = CausalEEGEncoder().eval()
    x = torch.randn(2, 10, 8)
    x2 = x.clone(); x2[:, -1] = torch.randn(2, 8)
    with torch.no_grad():
        a, b = model(x), model(x2)
    print("prefix change when last time step changes:", (a[:, :-1] - b[:, :-1]).abs().max().item(),
          "| NaN:", bool(a.isnan().any()))
