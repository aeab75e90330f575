"""Inference scripts that pad the same positions of every sample by hand: a float keep mask of
ones with the last column zeroed is still 0/1 floats in a key padding slot; a bool block mask
with its tail set True is a padding mask."""
import torch
import torch.nn as nn
import torch.nn.functional as F

layer = nn.TransformerEncoderLayer(d_model=16, nhead=4, batch_first=True)
src = torch.randn(3, 6, 16)
kpm = torch.ones(3, 6)
kpm[:, -1] = 0.0
out = layer(src, src_key_padding_mask=kpm)  # expect: ML201

pad = torch.zeros(3, 6, dtype=torch.bool)
pad[:, 4:] = True
q = torch.randn(3, 2, 6, 8)
y = F.scaled_dot_product_attention(q, q, q, attn_mask=pad[:, None, None, :])  # expect: ML102
