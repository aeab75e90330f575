"""Masks of observed cells (~torch.isnan(x)) in tabular and time-series attention: a large
negative on the observed features is an inverted additive mask; the observed cells as a key
padding mask are a keep mask where True = ignore."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class FeatureAttention(nn.Module):
    def __init__(self, d=32):
        super().__init__()
        self.qkv = nn.Linear(d, 3 * d)

    def forward(self, h, x_raw):
        observed = ~torch.isnan(x_raw)
        bias = torch.where(observed, torch.finfo(h.dtype).min, 0.0)[:, None, None, :]
        B, F_, D = h.shape
        q, k, v = self.qkv(h).view(B, F_, 3, 4, -1).permute(2, 0, 3, 1, 4)
        return F.scaled_dot_product_attention(q, k, v, attn_mask=bias)  # expect: ML103


class SensorEncoder(nn.Module):
    def __init__(self, d=32):
        super().__init__()
        self.attn = nn.MultiheadAttention(d, 4, batch_first=True)

    def forward(self, h, readings):
        present = torch.isnan(readings).logical_not()
        return self.attn(h, h, h, key_padding_mask=present)[0]  # expect: ML101
