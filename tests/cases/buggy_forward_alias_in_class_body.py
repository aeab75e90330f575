import torch
import torch.nn as nn
import torch.nn.functional as F


def _fused_forward(self, x):
    b, t, d = x.shape
    q, k, v = self.qkv(x).view(b, t, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
    y = F.scaled_dot_product_attention(q, k, v, attn_mask=self.future[:t, :t])  # expect: ML102
    return y.transpose(1, 2).reshape(b, t, d)


class FusedSelfAttention(nn.Module):
    def __init__(self, d=32, heads=4, max_len=64):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(d, 3 * d)
        self.register_buffer("future", torch.triu(torch.ones(max_len, max_len, dtype=torch.bool), 1))

    forward = _fused_forward


y = FusedSelfAttention()(torch.randn(2, 8, 32))
