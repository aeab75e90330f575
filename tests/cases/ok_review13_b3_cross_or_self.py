"""lucidrains-style attention: self-attention (causal) or cross-attention over a padded context."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class Attention(nn.Module):
    def __init__(self, dim, heads=4, cross=False):
        super().__init__()
        self.heads = heads
        self.cross = cross
        self.to_q = nn.Linear(dim, dim)
        self.to_kv = nn.Linear(dim, 2 * dim)

    def forward(self, x, context=None, context_mask=None):
        b, n, d = x.shape
        h = self.heads
        q = self.to_q(x).view(b, n, h, -1).transpose(1, 2)
        if self.cross:
            k, v = self.to_kv(context).chunk(2, dim=-1)
            k = k.view(b, -1, h, d // h).transpose(1, 2)
            v = v.view(b, -1, h, d // h).transpose(1, 2)
            out = F.scaled_dot_product_attention(q, k, v, attn_mask=context_mask[:, None, None, :])
        else:
            k, v = self.to_kv(x).chunk(2, dim=-1)
            k = k.view(b, n, h, d // h).transpose(1, 2)
            v = v.view(b, n, h, d // h).transpose(1, 2)
            out = F.scaled_dot_product_attention(q, k, v, is_causal=True)
        return out.transpose(1, 2).reshape(b, n, d)


class Decoder(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.self_attn = Attention(dim)
        self.cross_attn = Attention(dim, cross=True)

    def forward(self, x, context, context_mask):
        x = x + self.self_attn(x)
        x = x + self.cross_attn(x, context=context, context_mask=context_mask)
        return x


def demo():
    ctx_lens = torch.tensor([7, 3])
    context_mask = torch.arange(7)[None] < ctx_lens[:, None]
    m = Decoder(32)
    return m(torch.randn(2, 5, 32), torch.randn(2, 7, 32), context_mask)
