"""Set encoder over 1H-NMR peaks (chemical shift, multiplicity, integral) for functional-group tagging."""
import math

import torch
import torch.nn as nn

MULTIPLICITY = ["pad", "s", "d", "t", "q", "m", "dd", "dt", "br"]
GROUPS = ["methyl", "methylene", "aromatic", "aldehyde", "carboxylic_acid", "alcohol", "amine", "alkene"]


class PeakSetAttention(nn.Module):
    def __init__(self, d, heads, eps=1e-9):
        super().__init__()
        self.h = heads
        self.eps = eps
        self.qkv = nn.Linear(d, 3 * d)
        self.o = nn.Linear(d, d)

    def forward(self, x, real):
        b, n, d = x.shape
        q, k, v = self.qkv(x).view(b, n, 3, self.h, d // self.h).permute(2, 0, 3, 1, 4)
        logits = q @ k.transpose(-2, -1) / math.sqrt(d // self.h)
        logits = logits - logits.amax(dim=-1, keepdim=True)
        w = logits.exp() * real[:, None, None, :]
        w = w / (w.sum(dim=-1, keepdim=True) + self.eps)
        return self.o((w @ v).transpose(1, 2).reshape(b, n, d))


class NMRTagger(nn.Module):
    def __init__(self, d=64, heads=4, depth=2):
        super().__init__()
        self.shift = nn.Linear(1, d)
        self.mult = nn.Embedding(len(MULTIPLICITY), d, padding_idx=0)
        self.integral = nn.Linear(1, d)
        self.blocks = nn.ModuleList(PeakSetAttention(d, heads) for _ in range(depth))
        self.norms = nn.ModuleList(nn.LayerNorm(d) for _ in range(depth))
        self.out = nn.Linear(d, len(GROUPS))

    def forward(self, ppm, mult, integral):
        real = (mult != 0).to(ppm.dtype)
        x = self.shift(ppm[..., None] / 12.0) + self.mult(mult) + self.integral(integral[..., None])
        for norm, blk in zip(self.norms, self.blocks):
            x = x + blk(norm(x), real)
        x = (x * real[..., None]).sum(1) / real.sum(1, keepdim=True).clamp_min(1.0)
        return self.out(x)


if __name__ == "__main__":
    ppm = torch.tensor([[0.9, 1.3, 2.1, 9.7], [7.2, 7.4, 0.0, 0.0]])
    mult = torch.tensor([[3, 5, 1, 1], [5, 2, 0, 0]])
    integral = torch.tensor([[3.0, 2.0, 3.0, 1.0], [5.0, 2.0, 0.0, 0.0]])
    labels = torch.zeros(2, len(GROUPS))
    labels[0, [0, 1, 3]] = 1
    labels[1, 2] = 1
    print(nn.functional.binary_cross_entropy_with_logits(NMRTagger()(ppm, mult, integral), labels))
