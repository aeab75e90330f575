"""Encoder layer with an optional self-attention mask, composed from plain functions."""
from functools import partial

import torch
import torch.nn as nn
import torch.nn.functional as F


def self_attention_block(attn: nn.MultiheadAttention, x, encoder_padding_mask, attn_mask=None):
    x, _ = attn(query=x, key=x, value=x, key_padding_mask=encoder_padding_mask, need_weights=False)  # BUG
    return x


def ffn_block(fc1: nn.Linear, fc2: nn.Linear, x, dropout=0.0, training=False):
    return fc2(F.dropout(F.relu(fc1(x)), p=dropout, training=training))


def encoder_layer(params: nn.ModuleDict, x, encoder_padding_mask, attn_mask=None, training=False):
    """x: (T, B, C); attn_mask: (T, T) bool, True = blocked."""
    residual = x
    x = self_attention_block(params["self_attn"], x, encoder_padding_mask, attn_mask=attn_mask)
    x = params["self_attn_layer_norm"](residual + x)
    residual = x
    x = ffn_block(params["fc1"], params["fc2"], x, training=training)
    return params["final_layer_norm"](residual + x)


def build_layer(dim=32, heads=4, ffn=64):
    return nn.ModuleDict({
        "self_attn": nn.MultiheadAttention(dim, heads),
        "self_attn_layer_norm": nn.LayerNorm(dim),
        "fc1": nn.Linear(dim, ffn),
        "fc2": nn.Linear(ffn, dim),
        "final_layer_norm": nn.LayerNorm(dim),
    })


def local_window_mask(T, window):
    idx = torch.arange(T)
    return (idx[None, :] - idx[:, None]).abs() > window


def encode(layers, x, padding_mask, window=None):
    attn_mask = None if window is None else local_window_mask(x.shape[0], window)
    run = [partial(encoder_layer, p) for p in layers]
    for fn in run:
        x = fn(x, padding_mask, attn_mask=attn_mask)
    return x


if __name__ == "__main__":
    torch.manual_seed(0)
    layers = [build_layer().eval() for _ in range(2)]
    x = torch.randn(8, 2, 32)
    pad = torch.zeros(2, 8, dtype=torch.bool)
    with torch.no_grad():
        a = encode(layers, x, pad, window=1)
        x2 = x.clone()
        x2[7] += 3.0
        b = encode(layers, x2, pad, window=1)
    print("local window respected:", torch.allclose(a[:4], b[:4], atol=1e-5))
