"""Multi-head attention implementations compared in the efficiency notebook."""
import torch
import torch.nn as nn
import torch.nn.functional as F

sdpa = F.scaled_dot_product_attention


def build_future_mask(context_length, device=None):
    ones = torch.ones(context_length, context_length, device=device)
    return torch.triu(ones, diagonal=1).bool()


class _QKVMixin(nn.Module):
    def __init__(self, d_in, d_out, num_heads, context_length, qkv_bias=False):
        super().__init__()
        assert d_out % num_heads == 0, "d_out is indivisible by num_heads"
        self.num_heads = num_heads
        self.head_dim = d_out // num_heads
        self.d_out = d_out
        self.qkv = nn.Linear(d_in, 3 * d_out, bias=qkv_bias)
        self.proj = nn.Linear(d_out, d_out)
        self.register_buffer("mask", build_future_mask(context_length), persistent=False)

    def split_heads(self, x):
        b, n, _ = x.shape
        qkv = self.qkv(x).view(b, n, 3, self.num_heads, self.head_dim)
        return qkv.permute(2, 0, 3, 1, 4).unbind(0)

    def merge_heads(self, ctx):
        b, h, n, d = ctx.shape
        return self.proj(ctx.transpose(1, 2).reshape(b, n, h * d))


class MHAEinsum(_QKVMixin):
    def __init__(self, *args, dropout=0.0, **kwargs):
        super().__init__(*args, **kwargs)
        self.dropout = nn.Dropout(dropout)

    def forward(self, x):
        n = x.shape[1]
        q, k, v = self.split_heads(x)
        scores = torch.einsum("bhqd,bhkd->bhqk", q, k) / self.head_dim ** 0.5
        scores = scores.masked_fill(self.mask[:n, :n], float("-inf"))
        weights = self.dropout(scores.softmax(dim=-1))
        return self.merge_heads(torch.einsum("bhqk,bhkd->bhqd", weights, v))


class MHAPyTorchSDPAWithMask(_QKVMixin):
    def __init__(self, *args, dropout=0.0, **kwargs):
        super().__init__(*args, **kwargs)
        self.dropout = dropout

    def forward(self, x):
        n = x.shape[1]
        q, k, v = self.split_heads(x)
        p = self.dropout if self.training else 0.0
        attn_mask = ~self.mask[:n, :n]
        ctx = sdpa(q, k, v, attn_mask=attn_mask, dropout_p=p, is_causal=False)
        return self.merge_heads(ctx)


class MHAPyTorchSDPACausal(_QKVMixin):
    def __init__(self, *args, dropout=0.0, **kwargs):
        super().__init__(*args, **kwargs)
        self.dropout = dropout

    def forward(self, x):
        q, k, v = self.split_heads(x)
        p = self.dropout if self.training else 0.0
        return self.merge_heads(sdpa(q, k, v, dropout_p=p, is_causal=True))
