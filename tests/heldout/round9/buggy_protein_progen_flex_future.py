"""ProGen-style conditional protein LM using flex_attention (control tags + residues)."""
import warnings

import torch
import torch.nn as nn
from torch.nn.attention.flex_attention import create_block_mask, flex_attention

warnings.filterwarnings("ignore", message=".*flex_attention called without torch.compile.*")


def autoregressive(b, h, q_idx, kv_idx):
    return q_idx <= kv_idx


class ProGenAttention(nn.Module):
    def __init__(self, d=32, heads=4):
        super().__init__()
        self.h = heads
        self.qkv = nn.Linear(d, 3 * d)
        self.o = nn.Linear(d, d)

    def forward(self, x):
        B, L, D = x.shape
        q, k, v = self.qkv(x).view(B, L, 3, self.h, D // self.h).permute(2, 0, 3, 1, 4)
        bm = create_block_mask(autoregressive, B=None, H=None, Q_LEN=L, KV_LEN=L, device=x.device)
        y = flex_attention(q, k, v, block_mask=bm)  # expect: ML102
        return self.o(y.transpose(1, 2).reshape(B, L, D))


if __name__ == "__main__":
    torch.manual_seed(0)
    attn = ProGenAttention()
    x = torch.randn(1, 16, 32)
    with torch.no_grad():
        a = attn(x)
        x2 = x.clone()
        x2[0, 1] += 3.0                             # change residue 1
        b = attn(x2)
    print("FAILURE SHOWN: residue 0 changes with residue 1, diff",
          f"{(a[0, 0] - b[0, 0]).abs().max().item():.3g}",
          "| last residue unchanged:", torch.allclose(a[0, -1], b[0, -1]))
