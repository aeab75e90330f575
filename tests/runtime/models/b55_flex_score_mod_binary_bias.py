"""Buggy: flex_attention score_mods that add a 0/1 mask to the score: a per-residue keep mask
(`score + keep[b, kv_idx]`) and a causal keep mask as 0/1 floats (`score + tril[q_idx, kv_idx]`).
Added, 0 hides nothing: padded residues and future tokens are attended."""
import torch
import torch.nn as nn
from torch.nn.attention.flex_attention import flex_attention

KIND = "buggy"


class FlexBlock(nn.Module):
    def __init__(self, d=16, heads=2, causal=False):
        super().__init__()
        self.h, self.causal = heads, causal
        self.qkv = nn.Linear(d, 3 * d)

    def forward(self, x, residue_mask):
        B, T, C = x.shape
        q, k, v = self.qkv(x).view(B, T, 3, self.h, -1).permute(2, 0, 3, 1, 4)
        if self.causal:
            tril = torch.tril(torch.ones(T, T))

            def score_mod(score, b, h, q_idx, kv_idx):
                return score + tril[q_idx, kv_idx]
            y = flex_attention(q, k, v, score_mod=score_mod)  # expect: ML202
        else:
            keep = residue_mask.float()

            def score_mod(score, b, h, q_idx, kv_idx):
                return score + keep[b, kv_idx]
            y = flex_attention(q, k, v, score_mod=score_mod)  # expect: ML202
        return y.transpose(1, 2).reshape(B, T, C)


def run():
    torch.manual_seed(0)
    x = torch.randn(2, 8, 16)
    residue_mask = torch.tensor([[1] * 8, [1] * 5 + [0] * 3], dtype=torch.bool)
    with torch.no_grad():
        return tuple(FlexBlock(causal=c).eval()(x, residue_mask) for c in (False, True))
