import torch
import torch.nn as nn
import torch.nn.functional as F


class Attention(nn.Module):
    """x-transformers style: self-attention (causal) when no context, cross-attention otherwise."""

    def __init__(self, dim, heads=4):
        super().__init__()
        self.heads = heads
        self.to_q = nn.Linear(dim, dim)
        self.to_kv = nn.Linear(dim, 2 * dim)
        self.out = nn.Linear(dim, dim)

    def forward(self, x, context=None, context_mask=None):
        b, n, d = x.shape
        h = self.heads
        q = self.to_q(x).view(b, n, h, -1).transpose(1, 2)
        kv_input = x if context is None else context
        k, v = self.to_kv(kv_input).chunk(2, dim=-1)
        k = k.view(b, -1, h, d // h).transpose(1, 2)
        v = v.view(b, -1, h, d // h).transpose(1, 2)
        if context is None:
            out = F.scaled_dot_product_attention(q, k, v, is_causal=True)
        else:
            pad = torch.arange(k.shape[2])[None, :] < context_mask.sum(-1)[:, None]
            out = F.scaled_dot_product_attention(q, k, v, attn_mask=pad[:, None, None, :])
        return self.out(out.transpose(1, 2).reshape(b, n, d))


if __name__ == "__main__":
    m = Attention(16)
    x = torch.randn(2, 5, 16)
    ctx = torch.randn(2, 7, 16)
    cm = torch.tensor([[1] * 7, [1] * 4 + [0] * 3])
    print(m(x).shape, m(x, ctx, cm).shape)
