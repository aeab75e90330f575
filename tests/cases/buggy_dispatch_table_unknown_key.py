"""An attention implementation picked from a table by a key only known at run time (the config's
choice): every entry is followed, so a mask wrong for one of them is reported."""
import torch
import torch.nn as nn
import torch.nn.functional as F


def sdpa_attention(q, k, v, mask, dropout=0.0):
    return F.scaled_dot_product_attention(q, k, v, attn_mask=mask, dropout_p=dropout)


def math_attention(q, k, v, mask, dropout=0.0):
    """mask: True = attend, False = masked out (as for SDPA)."""
    scores = q @ k.transpose(-2, -1) / q.shape[-1] ** 0.5
    scores = scores.masked_fill(~mask, float("-inf"))
    return scores.softmax(-1) @ v


ATTENTION_IMPLS = {"sdpa": sdpa_attention, "math": math_attention}


class SelfAttention(nn.Module):
    def __init__(self, dim, heads, impl="sdpa"):
        super().__init__()
        self.heads = heads
        self.impl = impl
        self.qkv = nn.Linear(dim, 3 * dim)

    def forward(self, x):
        b, t, d = x.shape
        q, k, v = self.qkv(x).view(b, t, 3, self.heads, d // self.heads).permute(2, 0, 3, 1, 4)
        future = torch.triu(torch.ones(t, t, dtype=torch.bool, device=x.device), diagonal=1)
        attend = ATTENTION_IMPLS[self.impl]
        y = attend(q, k, v, future)  # expect: ML102
        return y.transpose(1, 2).reshape(b, t, d)


def decode_step(q, k, v, backend: str):
    n = q.shape[-2]
    hide_future = torch.ones(n, n).triu(1).bool()
    return ATTENTION_IMPLS[backend](q, k, v, hide_future)  # expect: ML101, ML102
