"""Prefix-LM masks: the future except the prefix (a block set intersected with a block set), and
the causal keep set widened by the prefix (a keep set united with a keep set)."""
import torch
import torch.nn as nn
import torch.nn.functional as F


def prefix_block_mask(T, prefix_len, device=None):
    future = torch.triu(torch.ones(T, T, dtype=torch.bool, device=device), 1)
    in_prefix = torch.arange(T, device=device)[None, :] < prefix_len[:, None]
    return future[None] & ~in_prefix[:, None, :]  # True: hidden


def prefix_keep_mask(T, prefix_len, device=None):
    causal = torch.tril(torch.ones(T, T, dtype=torch.bool, device=device))
    in_prefix = torch.arange(T, device=device)[None, :] < prefix_len[:, None]
    return causal[None] | in_prefix[:, None, :]  # True: visible


def sdpa_prefix(q, k, v, prefix_len):
    mask = prefix_block_mask(q.size(-2), prefix_len, q.device)
    return F.scaled_dot_product_attention(q, k, v, attn_mask=mask[:, None])  # expect: ML102


class PrefixMHA(nn.Module):
    def __init__(self, d=64, heads=4):
        super().__init__()
        self.heads = heads
        self.mha = nn.MultiheadAttention(d, heads, batch_first=True)

    def forward(self, x, prefix_len):
        keep = prefix_keep_mask(x.size(1), prefix_len, x.device)
        mask = keep.repeat_interleave(self.heads, dim=0)
        return self.mha(x, x, x, attn_mask=mask)[0]  # expect: ML101
