"""Functions that forward one mask to the attention call and take another that they never read."""
import torch
import torch.nn as nn
import torch.nn.functional as F


def self_attention_block(attn: nn.MultiheadAttention, x, encoder_padding_mask, attn_mask=None):
    out, _ = attn(x, x, x, key_padding_mask=encoder_padding_mask, need_weights=False)  # expect: ML504
    return out


class Block(nn.Module):
    def __init__(self, d=32):
        super().__init__()
        self.attn = nn.MultiheadAttention(d, 4, batch_first=True)

    def forward(self, x, causal_mask, key_padding_mask=None):
        return self.attn(x, x, x, attn_mask=causal_mask)[0]  # expect: ML504
