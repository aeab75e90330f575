"""Correct twins: gradient checkpointing: torch.utils.checkpoint.checkpoint(layer, x, mask, ...) runs the layer
with those arguments, so the mask it carries reaches the attention inside."""
import torch
import torch.nn as nn
from torch.utils.checkpoint import checkpoint


class Layer(nn.Module):
    def __init__(self, d=32, h=4):
        super().__init__()
        self.attn = nn.MultiheadAttention(d, h, batch_first=True)

    def forward(self, x, pad_mask):
        return x + self.attn(x, x, x, key_padding_mask=pad_mask, need_weights=False)[0]


class Encoder(nn.Module):
    def __init__(self, depth=2):
        super().__init__()
        self.layers = nn.ModuleList([Layer() for _ in range(depth)])

    def forward(self, x, lengths):
        keep = torch.arange(x.shape[1])[None, :] < lengths[:, None]
        for layer in self.layers:
            x = checkpoint(layer, x, ~keep, use_reentrant=False)
        return x


class SdpaBlock(nn.Module):
    def forward(self, q, k, v, mask):
        return torch.nn.functional.scaled_dot_product_attention(q, k, v, attn_mask=mask)


def run_blocks(q, k, v, lengths):
    is_pad = torch.arange(q.shape[2])[None, :] >= lengths[:, None]
    return torch.utils.checkpoint.checkpoint(SdpaBlock(), q, k, v, ~is_pad[:, None, None, :],
                                             use_reentrant=False)
