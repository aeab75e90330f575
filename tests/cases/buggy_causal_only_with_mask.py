"""The causal part built only when another mask is given (catalogue P4-12, xformers#103): with
the flag on and no mask passed, nothing hides the future."""
import torch
import torch.nn as nn
import torch.nn.functional as F


def attention(q, k, v, att_mask=None, causal=False):
    if att_mask is not None and causal:  # expect: ML401
        att_mask = att_mask + torch.triu(torch.full((q.size(-2), k.size(-2)), float("-inf")), 1)
    scores = q @ k.transpose(-2, -1) / q.size(-1) ** 0.5
    if att_mask is not None:
        scores = scores + att_mask
    return scores.softmax(-1) @ v


class Block(nn.Module):
    def __init__(self, is_causal=True):
        super().__init__()
        self.is_causal = is_causal

    def causal_keep(self, n, device):
        return torch.ones(n, n, dtype=torch.bool, device=device).tril()

    def forward(self, q, k, v, mask=None):
        if self.is_causal and mask is not None:  # expect: ML401
            mask = mask & self.causal_keep(q.size(-2), q.device)
        return F.scaled_dot_product_attention(q, k, v, attn_mask=mask)
