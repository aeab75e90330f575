"""Pluggable attention mechanisms registered by name (xformers-style functional core)."""
from functools import partial
from typing import Callable, Dict, Optional

import torch

ATTENTION_REGISTRY: Dict[str, Callable] = {}


def register_attention(name):
    def deco(fn):
        ATTENTION_REGISTRY[name] = fn
        return fn
    return deco


def _causal_mask(seq_len, device):
    # additive: -inf strictly above the diagonal
    return torch.triu(torch.full((seq_len, seq_len), float("-inf"), device=device), diagonal=1)


def scaled_query_key_softmax(q, k, att_mask: Optional[torch.Tensor]):
    q = q / q.shape[-1] ** 0.5
    att = q @ k.transpose(-2, -1)
    if att_mask is not None:
        att = att + att_mask
    return torch.softmax(att, dim=-1)


@register_attention("scaled_dot_product")
def scaled_dot_product_attention(q, k, v, att_mask=None, causal=False, dropout=0.0, training=False):
    if att_mask is not None and causal:  # BUG
        att_mask = att_mask + _causal_mask(q.shape[-2], q.device)  # BUG
    att = scaled_query_key_softmax(q, k, att_mask)  # BUG
    att = torch.nn.functional.dropout(att, dropout, training)
    return att @ v


def build_attention(name, **kwargs):
    return partial(ATTENTION_REGISTRY[name], **kwargs)


def multi_head(attn_fn, x, w_qkv, w_o, heads):
    b, s, d = x.shape
    q, k, v = (x @ w_qkv).view(b, s, 3, heads, d // heads).permute(2, 0, 3, 1, 4).unbind(0)
    y = attn_fn(q, k, v)
    return y.transpose(1, 2).reshape(b, s, d) @ w_o


if __name__ == "__main__":
    torch.manual_seed(0)
    attn = build_attention("scaled_dot_product", causal=True)
    x = torch.randn(2, 6, 16)
    w_qkv, w_o = torch.randn(16, 48) * 0.1, torch.randn(16, 16) * 0.1
    y_full = multi_head(attn, x, w_qkv, w_o, heads=4)
    y_pre = multi_head(attn, x[:, :3], w_qkv, w_o, heads=4)
    print("causal:", torch.allclose(y_full[:, :3], y_pre, atol=1e-5))
