"""Buggy: a bool causal & padding keep mask for a left-padded batch, as sdpa_mask builds it, in
bfloat16: the pad queries at the front see no key (all-False rows), NaN on the fused GPU kernels in
half precision (0 on this CPU). P7-5, P7-6, P7-8. In float32 it is c26, left alone."""
import torch
import torch.nn as nn
import torch.nn.functional as F

KIND = "buggy"


class DecoderAttention(nn.Module):
    def __init__(self, E=8, H=2):
        super().__init__()
        self.h = H
        self.qkv = nn.Linear(E, 3 * E)

    def forward(self, x, attention_mask):
        b, t, e = x.shape
        q, k, v = self.qkv(x).view(b, t, 3, self.h, -1).permute(2, 0, 3, 1, 4)
        causal = torch.ones(t, t, dtype=torch.bool).tril()
        keep = causal[None, None] & attention_mask[:, None, None, :].bool()
        out = F.scaled_dot_product_attention(q, k, v, attn_mask=keep)  # expect: ML601
        return out.transpose(1, 2).reshape(b, t, e)


def _setup():
    torch.manual_seed(0)
    am = torch.tensor([[1, 1, 1, 1, 1], [0, 0, 1, 1, 1]])
    return DecoderAttention().eval().to(torch.bfloat16), torch.randn(2, 5, 8, dtype=torch.bfloat16), am


def run():
    m, x, am = _setup()
    with torch.no_grad():
        return (m(x, am),)
