import torch
import torch.nn as nn
import torch.nn.functional as F


class SelfAttention(nn.Module):
    def __init__(self, d, h, causal):
        super().__init__()
        self.h, self.causal = h, causal
        self.qkv = nn.Linear(d, 3 * d)
        self.o = nn.Linear(d, d)

    def forward(self, x, key_padding_mask=None):
        B, L, D = x.shape
        q, k, v = self.qkv(x).view(B, L, 3, self.h, D // self.h).permute(2, 0, 3, 1, 4)
        mask = None if key_padding_mask is None else ~key_padding_mask[:, None, None, :]
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=mask, is_causal=self.causal and mask is None)
        return self.o(y.transpose(1, 2).reshape(B, L, D))


class EncoderBlock(nn.Module):
    def __init__(self, d, h):
        super().__init__()
        self.sa = SelfAttention(d, h, causal=False)
        self.ff = nn.Sequential(nn.Linear(d, 4 * d), nn.ReLU(), nn.Linear(4 * d, d))

    def forward(self, x, key_padding_mask=None):
        x = x + self.sa(x, key_padding_mask)
        return x + self.ff(x)


class DecoderBlock(nn.Module):
    def __init__(self, d, h):
        super().__init__()
        self.sa = SelfAttention(d, h, causal=True)
        self.ca = nn.MultiheadAttention(d, h, batch_first=True)
        self.ff = nn.Sequential(nn.Linear(d, 4 * d), nn.ReLU(), nn.Linear(4 * d, d))

    def forward(self, y, memory, memory_pad=None):
        y = y + self.sa(y)
        y = y + self.ca(y, memory, memory, key_padding_mask=memory_pad, need_weights=False)[0]
        return y + self.ff(y)
