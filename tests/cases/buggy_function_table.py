"""Attention implementations picked from a dict by a name set in the constructor."""
import torch
import torch.nn.functional as F
from torch import nn


def manual_attention(q, k, v, attn_mask=None, is_causal=False):
    return F.scaled_dot_product_attention(q, k, v, attn_mask=attn_mask, is_causal=is_causal)


IMPLEMENTATIONS = {"sdpa": F.scaled_dot_product_attention, "manual": manual_attention}


class Attention(nn.Module):
    def __init__(self, impl="manual"):
        super().__init__()
        self.impl = impl

    def forward(self, q, k, v, tokens, pad_id: int):
        keep = (tokens != pad_id)[:, None, None, :]
        return IMPLEMENTATIONS[self.impl](q, k, v, attn_mask=keep, is_causal=True)  # expect: ML403
