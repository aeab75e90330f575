from typing import Callable

import torch
from torch import nn


def and_masks(*fns: Callable) -> Callable:
    def mask_fn(b, h, q_idx, kv_idx):
        out = torch.ones_like(q_idx, dtype=torch.bool)
        for fn in fns:
            out = out & fn(b, h, q_idx, kv_idx)
        return out
    return mask_fn


def causal_mask_function(b, h, q_idx, kv_idx):
    return kv_idx <= q_idx


def sliding_window_overlay(window):
    return lambda b, h, q_idx, kv_idx: q_idx - kv_idx < window


def padding_mask_function(padding_mask):
    return lambda b, h, q_idx, kv_idx: padding_mask[b, kv_idx]


def create_sliding_window_causal_mask(attention_mask, q_len, window):
    b = torch.arange(attention_mask.size(0))[:, None, None, None]
    q_idx = torch.arange(q_len)[None, None, :, None]
    kv_idx = torch.arange(q_len)[None, None, None, :]
    mask_fn = and_masks(causal_mask_function, sliding_window_overlay(window), padding_mask_function(attention_mask.bool()))
    mask = mask_fn(b, 0, q_idx, kv_idx)
    # left-padded query rows have no valid key at all: let them attend to themselves
    empty_rows = ~mask.any(dim=-1, keepdim=True)
    return mask | (empty_rows & (q_idx == kv_idx))


def eager_attention_forward(query, key, value, attention_mask):
    scores = query @ key.transpose(-1, -2) * query.shape[-1] ** -0.5
    scores = scores.masked_fill(~attention_mask, float("-inf"))
    weights = torch.softmax(scores, dim=-1)
    return weights @ value, weights


class Gemma4TextLayer(nn.Module):
    def __init__(self, hidden=32, heads=4):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(hidden, 3 * hidden, bias=False)
        self.o_proj = nn.Linear(hidden, hidden, bias=False)

    def forward(self, x, mask):
        b, n, d = x.shape
        q, k, v = (t.view(b, n, self.heads, -1).transpose(1, 2) for t in self.qkv(x).chunk(3, -1))
        out, weights = eager_attention_forward(q, k, v, mask)  # output_attentions=True path
        return x + self.o_proj(out.transpose(1, 2).reshape(b, n, d)), weights


if __name__ == "__main__":
    torch.manual_seed(0)
    layers = nn.ModuleList(Gemma4TextLayer() for _ in range(2))
    attention_mask = torch.tensor([[0, 0, 1, 1, 1, 1], [1, 1, 1, 1, 1, 1]])
    mask = create_sliding_window_causal_mask(attention_mask, 6, window=3)
    h = torch.randn(2, 6, 32)
    with torch.no_grad():
        for layer in layers:
            h, _ = layer(h, mask)
    print(h.shape)
    print("corrupted (nan) real-token states in sample 0:", torch.isnan(h[0, 2:]).any().item())
