"""A smoke test on random ids with a bool padding mask (silent)."""
import torch
import torch.nn as nn

layer = nn.TransformerEncoderLayer(16, 2, batch_first=True)
ids = torch.randint(0, 10, (2, 5))
x = torch.randn(2, 5, 16)
out = layer(x, src_key_padding_mask=ids.eq(0))
