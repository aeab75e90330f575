import torch
import torch.nn as nn
import torch.nn.functional as F

_MASKS = {}


def mask_fn(kind):
    def wrap(builder):
        _MASKS[kind] = builder
        return builder
    return wrap


@mask_fn("lookahead")
def lookahead_mask(size):
    return torch.triu(torch.ones(size, size, dtype=torch.bool), diagonal=1)


class SelfAttention(nn.Module):
    def __init__(self, dim, heads, masking="lookahead"):
        super().__init__()
        self.heads = heads
        self.to_qkv = nn.Linear(dim, dim * 3)
        self.make_mask = _MASKS[masking]

    def forward(self, x):
        b, n, d = x.shape
        q, k, v = self.to_qkv(x).view(b, n, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        out = F.scaled_dot_product_attention(q, k, v, attn_mask=self.make_mask(n))  # expect: ML102
        return out.transpose(1, 2).reshape(b, n, d)
