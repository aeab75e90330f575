"""Correct here: b28's left-padded causal & padding keep mask into SDPA, in float32 on the CPU.
The pad queries at the front see no key, and SDPA gives them 0; no query reads a padded position,
so nothing is lost (in half precision the fused GPU kernels give NaN there: b28)."""
import torch
import torch.nn as nn
import torch.nn.functional as F

KIND = "correct"


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
        out = F.scaled_dot_product_attention(q, k, v, attn_mask=keep)
        return out.transpose(1, 2).reshape(b, t, e)


def _setup():
    torch.manual_seed(0)
    am = torch.tensor([[1, 1, 1, 1, 1], [0, 0, 1, 1, 1]])
    return DecoderAttention().eval(), torch.randn(2, 5, 8), am


def run():
    m, x, am = _setup()
    with torch.no_grad():
        return (m(x, am),)
