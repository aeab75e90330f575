"""Protein MSA transformer: row attention across residues of each aligned sequence.

Alignments are padded to the longest sequence; res_mask is True on real residues.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F


def residue_bias(res_mask: torch.Tensor) -> torch.Tensor:
    """Additive bias (N*R, 1, 1, L) for row attention."""
    return torch.where(res_mask, float("-inf"), 0.0)[:, None, None, :]


class RowAttention(nn.Module):
    def __init__(self, d=32, heads=4):
        super().__init__()
        self.h, self.dh = heads, d // heads
        self.qkv = nn.Linear(d, 3 * d)
        self.o = nn.Linear(d, d)

    def forward(self, msa, res_mask):
        # msa: (N, R, L, d) -> fold rows into batch
        N, R, L, d = msa.shape
        x = msa.reshape(N * R, L, d)
        q, k, v = self.qkv(x).view(N * R, L, 3, self.h, self.dh).permute(2, 0, 3, 1, 4)
        bias = residue_bias(res_mask.reshape(N * R, L))
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=bias)  # expect: ML103
        return self.o(y.transpose(1, 2).reshape(N, R, L, d))


if __name__ == "__main__":
    torch.manual_seed(0)
    layer = RowAttention()
    msa = torch.randn(1, 3, 10, 32)
    res_mask = torch.ones(1, 3, 10, dtype=torch.bool)
    res_mask[0, 2, 7:] = False
    out = layer(msa, res_mask)
    gapless_is_bias = torch.allclose(out[0, 0], layer.o.bias.expand(10, -1), atol=1e-6)
    print("FAILURE SHOWN: gap-free row gets no attention at all (output == o.bias):",
          gapless_is_bias, "| padded row attends only its gaps")
