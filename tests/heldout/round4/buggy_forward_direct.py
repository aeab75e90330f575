"""Set-transformer encoder for point sets of different sizes (padded)."""
import torch
import torch.nn as nn


class MaskedSAB(nn.Module):
    """Self-attention block over set elements; padded elements are never attended."""

    def __init__(self, dim, num_heads):
        super().__init__()
        self.mha = nn.MultiheadAttention(dim, num_heads, batch_first=True)
        self.ln0 = nn.LayerNorm(dim)
        self.ln1 = nn.LayerNorm(dim)
        self.ff = nn.Sequential(nn.Linear(dim, dim), nn.ReLU(), nn.Linear(dim, dim))

    def forward(self, x, pair_block):
        # pair_block: (B, N, N), True where element j is hidden from element i
        h, _ = self.mha(x, x, x, attn_mask=pair_block)
        x = self.ln0(x + h)
        return self.ln1(x + self.ff(x))


class PMA(nn.Module):
    """Pooling by multihead attention with k learned seeds."""

    def __init__(self, dim, num_heads, k=1):
        super().__init__()
        self.seeds = nn.Parameter(torch.randn(1, k, dim))
        self.mha = nn.MultiheadAttention(dim, num_heads, batch_first=True)

    def forward(self, x, pad):
        s = self.seeds.expand(x.size(0), -1, -1)
        out, _ = self.mha(s, x, x, key_padding_mask=pad)
        return out


def pairwise_block(valid: torch.Tensor) -> torch.Tensor:
    n = valid.size(1)
    return (~valid)[:, None, :].expand(-1, n, -1)            # (B, N, N)


if __name__ == "__main__":
    torch.manual_seed(0)
    B, N, D = 3, 20, 64
    pts = torch.randn(B, N, D)
    sizes = torch.tensor([20, 12, 5])
    valid = torch.arange(N)[None, :] < sizes[:, None]
    pad = ~valid

    enc = MaskedSAB(D, 4).forward(pts, pairwise_block(valid))  # expect: ML301
    pooled = PMA(D, 4).forward(enc, pad)
    print(pooled.shape)
