import torch
import torch.nn as nn
import torch.nn.functional as F

MASK_BUILDERS = {}


def register(name):
    def deco(fn):
        MASK_BUILDERS[name] = fn
        return fn
    return deco


@register("sdpa")
def keep_causal(n):
    """SDPA convention: True = attend."""
    return torch.ones(n, n, dtype=torch.bool).tril()


@register("mha")
def block_causal(n):
    """nn.MultiheadAttention convention: True = blocked."""
    return torch.ones(n, n, dtype=torch.bool).triu(1)


class CausalAttention(nn.Module):
    def __init__(self, dim, heads, backend="sdpa"):
        super().__init__()
        self.backend = backend
        self.heads = heads
        self.mha = nn.MultiheadAttention(dim, heads, batch_first=True)

    def forward(self, x):
        n = x.shape[1]
        mask = MASK_BUILDERS[self.backend](n)
        if self.backend == "mha":
            return self.mha(x, x, x, attn_mask=mask, need_weights=False)[0]
        b = x.shape[0]
        q = x.view(b, n, self.heads, -1).transpose(1, 2)
        return F.scaled_dot_product_attention(q, q, q, attn_mask=mask).transpose(1, 2).reshape(b, n, -1)


def attend(q, k, v, mha, backend="sdpa"):
    mask = MASK_BUILDERS[backend](q.shape[-2])
    if backend == "sdpa":
        return F.scaled_dot_product_attention(q, k, v, attn_mask=mask)
    return mha(q, k, v, attn_mask=mask)[0]


def attend_kw(q, k, v, mha, *, kind="mha"):
    mask = MASK_BUILDERS[kind](q.shape[-2])
    if kind == "mha":
        return mha(q, k, v, attn_mask=mask)[0]
    return F.scaled_dot_product_attention(q, k, v, attn_mask=mask)


if __name__ == "__main__":
    x = torch.randn(2, 5, 16)
    print(CausalAttention(16, 4)(x).shape, CausalAttention(16, 4, "mha")(x).shape)
    mha = nn.MultiheadAttention(16, 4, batch_first=True)
    print(attend(x, x, x, mha).shape, attend(x, x, x, mha, "mha").shape)
    print(attend_kw(x, x, x, mha).shape, attend_kw(x, x, x, mha, kind="sdpa").shape)
