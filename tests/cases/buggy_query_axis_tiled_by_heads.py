"""Per-sample padding masks stacked for nn.MultiheadAttention by tiling a new query axis and the
heads in one repeat (`pad[:, None, :].repeat(H, L, 1)`): head-major, h*N + b, where MHA reads
b*H + h; also after a causal part broadcast onto the stack."""
import torch
import torch.nn as nn


class SessionEncoder(nn.Module):
    def __init__(self, d=32, heads=4):
        super().__init__()
        self.heads = heads
        self.attn = nn.MultiheadAttention(d, heads, batch_first=True)

    def forward(self, x, item_ids):
        pad = item_ids == 0
        t = pad.size(1)
        stacked = pad[:, None, :].repeat(self.heads, t, 1)
        return self.attn(x, x, x, attn_mask=stacked)[0]  # expect: ML302


class CausalSessionEncoder(SessionEncoder):
    def forward(self, x, item_ids):
        pad = item_ids == 0
        t = pad.size(1)
        stacked = pad.unsqueeze(1).repeat(self.heads, t, 1)
        future = torch.ones(t, t, dtype=torch.bool).triu(1).unsqueeze(0).expand_as(stacked)
        return self.attn(x, x, x, attn_mask=stacked | future)[0]  # expect: ML302
