"""Buggy: flex_attention mask_mod written in the MHA habit (q < kv, i.e. the triu(1) block condition): allows only the future, hides the diagonal."""
import torch
import torch.nn as nn
from torch.nn.attention.flex_attention import create_block_mask, flex_attention

KIND = "buggy"


def causal(b, h, q_idx, kv_idx):
    return q_idx < kv_idx


class FlexBlock(nn.Module):
    def __init__(self, E=16, H=2):
        super().__init__()
        self.H = H
        self.qkv = nn.Linear(E, 3 * E)

    def forward(self, x):
        N, L, E = x.shape
        q, k, v = self.qkv(x).view(N, L, 3, self.H, E // self.H).permute(2, 0, 3, 1, 4)
        bm = create_block_mask(causal, B=None, H=None, Q_LEN=L, KV_LEN=L, device="cpu")
        return flex_attention(q, k, v, block_mask=bm)  # expect: ML102 also-ok: ML601,ML404


def _setup():
    torch.manual_seed(0)
    return FlexBlock().eval(), torch.randn(2, 8, 16)


def run():
    m, x = _setup()
    with torch.no_grad():
        return (m(x),)


def verify():
    m, x = _setup()
    x2 = x.clone()
    x2[:, -1] += 1.0
    with torch.no_grad():
        a, b = m(x), m(x2)
    d = (a[:, :, 0] - b[:, :, 0]).abs().max().item()
    return d > 1e-4, f"query 0 moved by {d:.3g} when the last token changed"
