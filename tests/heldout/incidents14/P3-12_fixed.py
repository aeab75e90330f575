import torch
from torch import nn, einsum
import torch.nn.functional as F

# helper functions

def exists(val):
    return val is not None

def merge_heads(t, h):
    # 'b n (h d) -> (b h) n d'
    b, n, hd = t.shape
    return t.reshape(b, n, h, hd // h).permute(0, 2, 1, 3).reshape(b * h, n, hd // h)

def split_heads(t, h):
    # '(b h) n d -> b n (h d)'
    bh, n, d = t.shape
    return t.reshape(bh // h, h, n, d).permute(0, 2, 1, 3).reshape(bh // h, n, h * d)

# main class

class LongShortAttention(nn.Module):
    def __init__(self, *, dim, heads = 8, dim_head = 64, r = 1, dropout = 0.):
        super().__init__()
        inner_dim = heads * dim_head
        self.heads = heads
        self.scale = dim_head ** -0.5
        self.r = r
        self.to_q = nn.Linear(dim, inner_dim, bias = False)
        self.to_kv = nn.Linear(dim, inner_dim, bias = False)
        self.to_dynamic_proj = nn.Linear(dim_head, r, bias = False)
        self.to_out = nn.Linear(inner_dim, dim)
        self.dropout = nn.Dropout(dropout)

    def forward(self, x, mask = None):
        b, n, h = *x.shape[:2], self.heads
        mask_value = -torch.finfo(x.dtype).max

        q = merge_heads(self.to_q(x), h) * self.scale
        kv = merge_heads(self.to_kv(x), h)

        # calculate dynamic projections (global keys / values compressed to r)

        pkv = self.to_dynamic_proj(kv)

        if exists(mask):
            pkv.masked_fill_(~mask.repeat_interleave(h, dim = 0)[..., None], mask_value)  # BUG

        pkv = pkv.softmax(dim = -2)
        keys = values = einsum('b n d, b n r -> b r d', kv, pkv)

        sim = einsum('b i d, b j d -> b i j', q, keys)
        attn = self.dropout(sim.softmax(dim = -1))
        out = einsum('b i j, b j d -> b i d', attn, values)
        return self.to_out(split_heads(out, h))


if __name__ == '__main__':
    torch.manual_seed(0)
    attn = LongShortAttention(dim = 8, heads = 2, dim_head = 4, r = 2)
    x = torch.randn(3, 6, 8)
    mask = torch.ones(3, 6, dtype = torch.bool)
    mask[1, 4:] = False
    try:
        out = attn(x, mask = mask)
        x2 = x.clone()
        x2[1, 4:] = torch.randn(2, 8)
        print(f'ok: sample-1 output change from its padded tokens = {(attn(x2, mask = mask) - out)[1, :4].abs().max().item():.4f}')
    except RuntimeError as exc:
        print(f'RuntimeError: {exc}')
