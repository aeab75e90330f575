"""Single-head MHA: a per-sample (N, L, S) attn_mask is (N*num_heads, L, S). Correct."""
import torch
import torch.nn as nn


class Block(nn.Module):
    def __init__(self, d=16):
        super().__init__()
        self.attn = nn.MultiheadAttention(d, 1, batch_first=True)

    def forward(self, x, lens):
        B, L = x.shape[:2]
        allowed = torch.zeros(B, L, L, dtype=torch.bool)
        for i in range(B):
            allowed[i, :lens[i], :lens[i]] = True
        allowed |= torch.eye(L, dtype=torch.bool)
        return self.attn(x, x, x, attn_mask=~allowed)[0]
