"""MHA with generate_square_subsequent_mask(...).bool(): -inf -> True, so True = blocked. Correct."""
import torch
import torch.nn as nn


class Block(nn.Module):
    def __init__(self, d=128, h=4):
        super().__init__()
        self.attn = nn.MultiheadAttention(d, h, batch_first=True)

    def forward(self, x, pad):
        T = x.size(1)
        causal = nn.Transformer.generate_square_subsequent_mask(T, device=x.device).bool()
        y, _ = self.attn(x, x, x, attn_mask=causal, key_padding_mask=pad, need_weights=False)
        return x + y
