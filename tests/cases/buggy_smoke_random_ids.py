"""A smoke test on random ids: a comparison of random token ids is a bool mask, whatever it holds."""
import torch
import torch.nn as nn

layer = nn.TransformerEncoderLayer(16, 2, batch_first=True)
ids = torch.randint(0, 10, (2, 5))
x = torch.randn(2, 5, 16)
out = layer(x, src_key_padding_mask=1.0 - ids.ne(0).float())  # expect: ML201
