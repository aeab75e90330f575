"""The same scripts with masks of the kinds the APIs read."""
import torch
import torch.nn as nn
import torch.nn.functional as F

layer = nn.TransformerEncoderLayer(d_model=16, nhead=4, batch_first=True)
src = torch.randn(3, 6, 16)
kpm = torch.zeros(3, 6, dtype=torch.bool)
kpm[:, -1] = True
out = layer(src, src_key_padding_mask=kpm)

keep = torch.ones(3, 6, dtype=torch.bool)
keep[:, 4:] = False
q = torch.randn(3, 2, 6, 8)
y = F.scaled_dot_product_attention(q, q, q, attn_mask=keep[:, None, None, :])
