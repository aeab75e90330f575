"""Encoder/decoder blocks sharing one class; masks come from a helper returning a tuple."""
import torch
import torch.nn as nn


def build_masks(ids: torch.Tensor, pad_id: int):
    T = ids.size(1)
    future = torch.triu(torch.ones(T, T, dtype=torch.bool, device=ids.device), diagonal=1)
    padding = ids.eq(pad_id)
    return future, padding


class SharedBlock(nn.Module):
    def __init__(self, d_model=64, nhead=4, is_decoder=False):
        super().__init__()
        self.is_decoder = is_decoder
        self.attn = nn.MultiheadAttention(d_model, nhead, batch_first=True)

    def forward(self, x, ids, pad_id=0):
        future, padding = build_masks(ids, pad_id)
        mask = future if self.is_decoder else None
        h, _ = self.attn(x, x, x, key_padding_mask=padding, attn_mask=mask)
        return x + h
