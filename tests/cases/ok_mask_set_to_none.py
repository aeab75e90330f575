"""Masks set to None where that is meant: on one path only (a kernel that masks by itself), or
before the mask is built."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class Attention(nn.Module):
    def __init__(self, use_flash=False):
        super().__init__()
        self.use_flash = use_flash

    def forward(self, q, k, v, attention_mask=None):
        if attention_mask is not None:
            attention_mask = attention_mask[:, None, None, :].bool()
        if self.use_flash:
            attention_mask = None
        return F.scaled_dot_product_attention(q, k, v, attn_mask=attention_mask, is_causal=self.use_flash)


def encode(layer, embeds, input_ids, pad_id=0, src_key_padding_mask=None):
    src_key_padding_mask = None
    if (input_ids == pad_id).any():
        src_key_padding_mask = input_ids == pad_id
    return layer(embeds, src_key_padding_mask=src_key_padding_mask)
