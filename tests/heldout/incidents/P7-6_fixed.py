import operator
from functools import reduce
from typing import Callable, Optional

import torch
import torch.nn.functional as F
from torch import nn


def causal_mask_function(batch_idx, head_idx, q_idx, kv_idx):
    return kv_idx <= q_idx


def padding_mask_function(padding_mask: torch.Tensor) -> Callable:
    def inner_mask(batch_idx, head_idx, q_idx, kv_idx):
        return padding_mask[batch_idx, kv_idx]
    return inner_mask


def blockwise_overlay(token_type_ids: torch.Tensor) -> Callable:
    """Image tokens (type 1) of the same image attend to each other bidirectionally."""
    def inner_mask(batch_idx, head_idx, q_idx, kv_idx):
        return (token_type_ids[batch_idx, q_idx] == 1) & (token_type_ids[batch_idx, kv_idx] == 1)
    return inner_mask


def and_masks(*fns):
    return lambda b, h, q, kv: reduce(operator.and_, [fn(b, h, q, kv) for fn in fns])


def or_masks(*fns):
    return lambda b, h, q, kv: reduce(operator.or_, [fn(b, h, q, kv) for fn in fns])


def sdpa_mask(batch_size, q_length, kv_length, mask_function: Callable, attention_mask: Optional[torch.Tensor] = None,
              allow_torch_fix: bool = True):
    """Materialise a boolean (batch, 1, q, kv) mask for SDPA (True = attend).

    `allow_torch_fix` unmasks rows that would otherwise attend to nothing.
    """
    if attention_mask is not None:
        mask_function = and_masks(mask_function, padding_mask_function(attention_mask.bool()))
    b = torch.arange(batch_size)[:, None, None, None]
    q = torch.arange(q_length)[None, None, :, None]
    kv = torch.arange(kv_length)[None, None, None, :]
    causal_mask = mask_function(b, torch.zeros_like(b), q, kv)
    if allow_torch_fix:
        # rows that attend to nothing (left padding) would return NaN on some SDPA kernels: unmask them,
        # this does not change the outputs of the real tokens
        causal_mask = causal_mask | torch.all(~causal_mask, dim=-1, keepdim=True)
    return causal_mask


class Gemma4Attention(nn.Module):
    def __init__(self, hidden_size=8, num_heads=2):
        super().__init__()
        self.num_heads, self.head_dim = num_heads, hidden_size // num_heads
        self.qkv = nn.Linear(hidden_size, 3 * hidden_size, bias=False)
        self.o_proj = nn.Linear(hidden_size, hidden_size, bias=False)

    def forward(self, hidden_states, attention_mask):
        b, t, _ = hidden_states.shape
        q, k, v = self.qkv(hidden_states).view(b, t, 3, self.num_heads, self.head_dim).permute(2, 0, 3, 1, 4)
        out = F.scaled_dot_product_attention(q, k, v, attn_mask=attention_mask)
        return self.o_proj(out.transpose(1, 2).reshape(b, t, -1))


def run():
    attn = Gemma4Attention()
    hidden_states = torch.randn(2, 5, 8)
    attention_mask = torch.tensor([[1, 1, 1, 1, 1], [0, 1, 1, 1, 1]])  # left padded
    token_type_ids = torch.tensor([[0, 1, 1, 0, 0], [0, 0, 1, 1, 0]])
    mask_fn = or_masks(causal_mask_function, blockwise_overlay(token_type_ids))
    mask = sdpa_mask(2, 5, 5, mask_fn, attention_mask=attention_mask)
    with torch.no_grad():
        return attn(hidden_states, mask)
