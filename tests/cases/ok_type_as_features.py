"""A bool mask kept bool; a float mask made additive before it is used."""
import torch
import torch.nn as nn

dec = nn.TransformerDecoderLayer(64, 4, batch_first=True)
enc = nn.TransformerEncoderLayer(64, 4, batch_first=True)


def decode(tgt, memory, patch_valid):
    pad = ~patch_valid
    return dec(tgt, memory, memory_key_padding_mask=pad)


def encode(feats, lengths):
    pad = torch.arange(feats.size(1))[None, :] >= lengths[:, None]
    bias = pad.type_as(feats) * torch.finfo(feats.dtype).min
    return enc(feats, src_key_padding_mask=bias)


if __name__ == "__main__":
    valid = torch.ones(2, 10, dtype=torch.bool)
    valid[1, 7:] = False
    memory = torch.randn(2, 10, 64)
    decode(torch.randn(2, 5, 64), memory, valid)
