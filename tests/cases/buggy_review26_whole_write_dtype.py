"""A float buffer written whole with a bool causal mask: the buffer holds 0./1. (a float mask that
masks nothing), not a bool mask."""
import torch
import torch.nn as nn


class Decoder(nn.Module):
    def __init__(self, d=64, h=4):
        super().__init__()
        self.mha = nn.MultiheadAttention(d, h, batch_first=True)

    def forward(self, x):
        t = x.size(1)
        mask = torch.zeros(t, t, device=x.device)
        mask[:, :] = torch.triu(torch.ones(t, t, dtype=torch.bool, device=x.device), diagonal=1)
        y, _ = self.mha(x, x, x, attn_mask=mask)  # expect: ML202
        return y
