"""Correct: retrieval cross-attention with add_zero_attn=True: a sample that retrieved nothing has
every memory key padded, and still attends to the appended zero key."""
import torch
import torch.nn as nn

KIND = "correct"


def run():
    torch.manual_seed(0)
    attn = nn.MultiheadAttention(16, 2, batch_first=True, add_zero_attn=True).train()
    x, mem = torch.randn(2, 4, 16), torch.randn(2, 3, 16)
    retrieved = torch.tensor([2, 0])  # the second sample retrieved nothing
    no_neighbour = torch.arange(3)[None, :] >= retrieved[:, None]
    out, _ = attn(x, mem, mem, key_padding_mask=no_neighbour)
    out.sum().backward()
    return (out.detach(), attn.in_proj_weight.grad)
