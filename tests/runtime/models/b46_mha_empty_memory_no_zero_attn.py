"""Buggy twin of c27: without add_zero_attn, the sample that retrieved nothing has no key at all."""
import torch
import torch.nn as nn

KIND = "buggy"


def run():
    torch.manual_seed(0)
    attn = nn.MultiheadAttention(16, 2, batch_first=True).train()
    x, mem = torch.randn(2, 4, 16), torch.randn(2, 3, 16)
    retrieved = torch.tensor([2, 0])  # the second sample retrieved nothing
    no_neighbour = torch.arange(3)[None, :] >= retrieved[:, None]
    out, _ = attn(x, mem, mem, key_padding_mask=no_neighbour)  # expect: ML602
    return (out.detach(),)
