"""Buggy: a sliding-window keep mask (True = may attend, written with key-minus-query offsets)
handed to nn.MultiheadAttention, which reads True as blocked: each query sees the future and the
far past, never its window.  (From a review's reproduction.)"""
import torch
import torch.nn as nn

KIND = "buggy"


class LocalDecoder(nn.Module):
    def __init__(self, dim=32, heads=4, window=2):
        super().__init__()
        self.attn = nn.MultiheadAttention(dim, heads, dropout=0.1, batch_first=True)
        self.window = window

    def forward(self, x):
        L = x.size(1)
        i = torch.arange(L)
        rel = i[None, :] - i[:, None]
        allowed = (rel <= 0) & (rel > -self.window)
        return self.attn(x, x, x, attn_mask=allowed, need_weights=False)[0]  # expect: ML101


def run():
    torch.manual_seed(0)
    model = LocalDecoder().train()
    x = torch.randn(2, 16, 32)
    out = model(x)
    out.pow(2).mean().backward()
    with torch.no_grad():
        ev = model.eval()(x)
    return out.detach(), ev
