"""Masks written as literals: torch.tensor of nested lists is int64 unless told otherwise (P2-3)."""
import torch
import torch.nn as nn
import torch.nn.functional as F

layer = nn.TransformerEncoderLayer(8, 2, batch_first=True)
encoder = nn.TransformerEncoder(layer, num_layers=1)
x = torch.randn(2, 4, 8)

# an int64 keep mask, as a tokenizer returns it
kpm = torch.tensor([[1, 1, 0, 0], [1, 1, 1, 0]])
out = encoder(x, src_key_padding_mask=kpm)  # expect: ML101, ML203


def padded_batch():
    # 1 marks padding here, but the dtype is still int64
    return torch.tensor([[0, 0, 0, 1], [0, 0, 1, 1]])


out = encoder(x, src_key_padding_mask=padded_batch())  # expect: ML203

# True = real token: a keep mask for a block API
keep = torch.tensor([[True, True, True, False], [True, True, False, False]])
out = encoder(x, src_key_padding_mask=keep)  # expect: ML101

q = torch.randn(2, 2, 4, 4)
float01 = torch.tensor([[1.0, 1.0, 0.0, 0.0]])[:, None, None, :]
out = F.scaled_dot_product_attention(q, q, q, attn_mask=float01)  # expect: ML202

# left padding for generation: the full row shows 1 marks real tokens
prompts = torch.tensor([[1, 1, 1, 1], [0, 0, 1, 1]]).bool()
out = encoder(x, src_key_padding_mask=prompts)  # expect: ML101

# rows built with list arithmetic read the same
lengths_mask = torch.tensor([[1] * 4, [1] * 2 + [0] * 2])
out = encoder(x, src_key_padding_mask=lengths_mask.bool())  # expect: ML101
