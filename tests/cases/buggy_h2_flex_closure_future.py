"""flex_attention with a sliding-window causal mask built from a closure."""
import torch
import torch.nn as nn
from torch.nn.attention.flex_attention import create_block_mask, flex_attention


def make_window_mod(window):
    def mask_mod(b, h, q_idx, kv_idx):
        return (kv_idx >= q_idx) & (kv_idx - q_idx < window)
    return mask_mod


class WindowAttention(nn.Module):
    def __init__(self, d=256, h=4, window=64):
        super().__init__()
        self.h, self.window = h, window
        self.qkv = nn.Linear(d, 3 * d)

    def forward(self, x):
        B, T, C = x.shape
        q, k, v = self.qkv(x).view(B, T, 3, self.h, C // self.h).permute(2, 0, 3, 1, 4)
        bm = create_block_mask(make_window_mod(self.window), None, None, T, T, device=x.device)  # expect: ML102
        y = flex_attention(q, k, v, block_mask=bm)
        return y.transpose(1, 2).reshape(B, T, C)
