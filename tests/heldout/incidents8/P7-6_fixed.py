from typing import Callable

import torch
import torch.nn.functional as F
from torch import nn


def and_masks(*mask_functions: Callable) -> Callable:
    def and_mask(batch_idx, head_idx, q_idx, kv_idx):
        result = q_idx.new_ones((), dtype=torch.bool)
        for mask in mask_functions:
            result = result & mask(batch_idx, head_idx, q_idx, kv_idx)
        return result
    return and_mask


def causal_mask_function(batch_idx, head_idx, q_idx, kv_idx):
    return kv_idx <= q_idx


def sliding_window_overlay(sliding_window: int) -> Callable:
    def inner_mask(batch_idx, head_idx, q_idx, kv_idx):
        return kv_idx > q_idx - sliding_window
    return inner_mask


def padding_mask_function(padding_mask: torch.Tensor) -> Callable:
    def inner_mask(batch_idx, head_idx, q_idx, kv_idx):
        return padding_mask[batch_idx, kv_idx]
    return inner_mask


def build_sdpa_mask(mask_function, batch_size, q_len, kv_len):
    b = torch.arange(batch_size)[:, None, None, None]
    q = torch.arange(q_len)[None, None, :, None]
    kv = torch.arange(kv_len)[None, None, None, :]
    mask = mask_function(b, None, q, kv).expand(batch_size, 1, q_len, kv_len)
    return mask | torch.all(~mask, dim=-1, keepdim=True)


def create_sliding_window_causal_mask(attention_mask, sliding_window):
    batch_size, seq_len = attention_mask.shape
    mask_factory = and_masks(
        causal_mask_function, sliding_window_overlay(sliding_window), padding_mask_function(attention_mask.bool())
    )
    return build_sdpa_mask(mask_factory, batch_size, seq_len, seq_len)


class Gemma4Attention(nn.Module):
    def __init__(self, hidden_size=64, num_heads=4):
        super().__init__()
        self.num_heads, self.head_dim = num_heads, hidden_size // num_heads
        self.qkv = nn.Linear(hidden_size, 3 * hidden_size, bias=False)
        self.o_proj = nn.Linear(hidden_size, hidden_size, bias=False)

    def forward(self, x, attention_mask):
        b, n, _ = x.shape
        q, k, v = self.qkv(x).view(b, n, 3, self.num_heads, self.head_dim).permute(2, 0, 3, 1, 4)
        with torch.nn.attention.sdpa_kernel(torch.nn.attention.SDPBackend.MATH):
            out = F.scaled_dot_product_attention(q, k, v, attn_mask=attention_mask)
        return self.o_proj(out.transpose(1, 2).reshape(b, n, -1))


if __name__ == "__main__":
    attn = Gemma4Attention()
    x = torch.randn(2, 8, 64)
    attention_mask = torch.tensor([[1] * 8, [0, 0, 0, 0, 1, 1, 1, 1]])
    mask = create_sliding_window_causal_mask(attention_mask, sliding_window=3)
    print(attn(x, mask).shape)
