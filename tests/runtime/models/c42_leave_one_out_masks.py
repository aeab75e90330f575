"""Correct: leave-one-out attention (each element described by the others only): the identity
blocked in nn.MultiheadAttention and its complement kept in SDPA.  Not an inverted causal mask:
the past is attended as much as the future.  (From a review's reproduction.)"""
import torch
import torch.nn as nn
import torch.nn.functional as F

KIND = "correct"


class LeaveOneOut(nn.Module):
    def __init__(self, dim=32, heads=4):
        super().__init__()
        self.attn = nn.MultiheadAttention(dim, heads, dropout=0.1, batch_first=True)
        self.heads = heads

    def forward(self, x):
        n = x.size(1)
        no_self = torch.eye(n, dtype=torch.bool)
        a = self.attn(x, x, x, attn_mask=no_self, need_weights=False)[0]
        q = x.view(x.size(0), n, self.heads, -1).transpose(1, 2)
        others = ~torch.eye(n, dtype=torch.bool)
        b = F.scaled_dot_product_attention(q, q, q, attn_mask=others)
        return a + b.transpose(1, 2).reshape_as(x)


def run():
    torch.manual_seed(0)
    model = LeaveOneOut().train()
    x = torch.randn(2, 5, 32)
    out = model(x)
    out.pow(2).mean().backward()
    with torch.no_grad():
        ev = model.eval()(x)
    return out.detach(), ev
