"""Protein MSA row attention with pair bias (AlphaFold style), implemented with torch.baddbmm."""
import torch
import torch.nn as nn


def keep_to_additive(keep: torch.Tensor, dtype) -> torch.Tensor:
    """bool keep mask -> additive bias (0 where kept, -inf where dropped)."""
    bias = torch.zeros(keep.shape, dtype=dtype, device=keep.device)
    return bias.masked_fill(~keep, float("-inf"))


class RowAttentionWithPairBias(nn.Module):
    def __init__(self, c_m=64, c_z=32, heads=4):
        super().__init__()
        self.h, self.dh = heads, c_m // heads
        self.ln = nn.LayerNorm(c_m)
        self.qkv = nn.Linear(c_m, 3 * c_m, bias=False)
        self.pair = nn.Linear(c_z, heads, bias=False)
        self.gate = nn.Linear(c_m, c_m)
        self.o = nn.Linear(c_m, c_m)

    def forward(self, msa, pair, res_keep):
        # msa: (S, L, c_m) rows of one alignment; pair: (L, L, c_z); res_keep: (L,) bool
        S, L, _ = msa.shape
        x = self.ln(msa)
        q, k, v = self.qkv(x).view(S, L, 3, self.h, self.dh).permute(2, 0, 3, 1, 4)
        q, k, v = (t.reshape(S * self.h, L, self.dh) for t in (q, k, v))
        bias = self.pair(pair).permute(2, 0, 1)  # (h, L, L)
        bias = bias + keep_to_additive(res_keep, bias.dtype)[None, None, :]
        bias = bias.unsqueeze(0).expand(S, -1, -1, -1).reshape(S * self.h, L, L)
        logits = torch.baddbmm(bias, q, k.transpose(1, 2), alpha=self.dh ** -0.5)
        out = torch.bmm(logits.softmax(-1), v).view(S, self.h, L, self.dh).transpose(1, 2).reshape(S, L, -1)
        return msa + self.o(torch.sigmoid(self.gate(x)) * out)


if __name__ == "__main__":
    torch.manual_seed(0)
    m = RowAttentionWithPairBias()
    keep = torch.ones(12, dtype=torch.bool); keep[9:] = False
    msa, pair = torch.randn(5, 12, 64), torch.randn(12, 12, 32)
    y = m(msa, pair, keep)
    msa2 = msa.clone(); msa2[:, 10] = torch.randn(5, 64)
    print("finite:", torch.isfinite(y).all().item(), "pad ignored:", torch.allclose(y[:, :9], m(msa2, pair, keep)[:, :9], atol=1e-5))
