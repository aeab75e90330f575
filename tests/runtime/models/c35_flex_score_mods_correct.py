"""Correct: flex_attention score_mods that bias or hide the right way: ALiBi (a slope times the
distance), padding hidden with -inf through torch.where, and a 0/1 same-segment bonus that is
not a mask (scaled, never exactly 0/1)."""
import torch
import torch.nn as nn
from torch.nn.attention.flex_attention import flex_attention

KIND = "correct"


class FlexBlock(nn.Module):
    def __init__(self, d=16, heads=2):
        super().__init__()
        self.h = heads
        self.qkv = nn.Linear(d, 3 * d)
        self.register_buffer("slopes", torch.tensor([0.5, 0.25]))

    def forward(self, x, residue_mask, segments):
        B, T, C = x.shape
        q, k, v = self.qkv(x).view(B, T, 3, self.h, -1).permute(2, 0, 3, 1, 4)
        slopes = self.slopes

        def alibi(score, b, h, q_idx, kv_idx):
            return score - slopes[h] * (q_idx - kv_idx).abs()

        def padded(score, b, h, q_idx, kv_idx):
            return torch.where(residue_mask[b, kv_idx], score, -float("inf"))

        def same_segment(score, b, h, q_idx, kv_idx):
            return score + 0.3 * (segments[b, q_idx] == segments[b, kv_idx])

        outs = [flex_attention(q, k, v, score_mod=mod) for mod in (alibi, padded, same_segment)]
        return sum(o.transpose(1, 2).reshape(B, T, C) for o in outs)


def run():
    torch.manual_seed(0)
    x = torch.randn(2, 8, 16)
    residue_mask = torch.tensor([[1] * 8, [1] * 5 + [0] * 3], dtype=torch.bool)
    segments = torch.tensor([[0] * 4 + [1] * 4, [0] * 2 + [1] * 6])
    with torch.no_grad():
        return (FlexBlock().eval()(x, residue_mask, segments),)
