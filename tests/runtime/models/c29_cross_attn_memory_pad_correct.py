"""Correct twins of b47/b48: the cross-attention gets the source padding mask."""
import torch
import torch.nn as nn

KIND = "correct"


def run():
    torch.manual_seed(0)
    enc = nn.TransformerEncoder(nn.TransformerEncoderLayer(16, 2, 32, 0.0), 1, enable_nested_tensor=False)
    self_attn, cross = nn.MultiheadAttention(16, 2), nn.MultiheadAttention(16, 2)
    src, tgt = torch.randn(6, 3, 16), torch.randn(6, 3, 16)
    src_pad = torch.arange(6)[None, :] >= torch.tensor([6, 3, 4])[:, None]
    tgt_pad = torch.arange(6)[None, :] >= torch.tensor([5, 6, 2])[:, None]
    causal = torch.ones(6, 6, dtype=torch.bool).triu(1)
    memory = enc(src, src_key_padding_mask=src_pad)
    y = tgt + self_attn(tgt, tgt, tgt, attn_mask=causal, key_padding_mask=tgt_pad)[0]
    y = y + cross(y, memory, memory, key_padding_mask=src_pad)[0]
    y.sum().backward()
    return (y.detach(),)
