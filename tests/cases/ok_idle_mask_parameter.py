"""Both masks passed on, or a mask parameter the function uses otherwise."""
import torch
import torch.nn as nn


def self_attention_block(attn: nn.MultiheadAttention, x, encoder_padding_mask, attn_mask=None):
    out, _ = attn(x, x, x, key_padding_mask=encoder_padding_mask, attn_mask=attn_mask, need_weights=False)
    return out


class Block(nn.Module):
    def __init__(self, d=32):
        super().__init__()
        self.attn = nn.MultiheadAttention(d, 4, batch_first=True)

    def forward(self, x, causal_mask, key_padding_mask=None):
        out = self.attn(x, x, x, attn_mask=causal_mask)[0]
        if key_padding_mask is not None:
            out = out.masked_fill(key_padding_mask[..., None], 0.0)
        return out
