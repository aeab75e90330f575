import torch.nn as nn
import torch.nn.functional as F

from .data import STEP_KINDS


class StepMixer(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(dim, 3 * dim)

    def forward(self, x, step_keep):
        b, n, d = x.shape
        q, k, v = self.qkv(x).view(b, n, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        return F.scaled_dot_product_attention(q, k, v, attn_mask=step_keep[:, None, None, :])


class ProgramModel(nn.Module):
    def __init__(self, dim=32, heads=4):
        super().__init__()
        self.kind = nn.Embedding(len(STEP_KINDS), dim)
        self.mix = StepMixer(dim, heads)

    def forward(self, batch):
        x = self.kind(batch["kind"])
        return self.mix(x, batch["step_keep"] > 0)
