"""Buggy: an additive causal bias (-inf above the diagonal) whose prefix rows are zeroed so the
prompt is encoded bidirectionally; the rows, not the columns, are opened: prompt tokens see the
answer, and answer tokens see the prompt tokens (SDPA, float mask)."""
import torch
import torch.nn as nn
import torch.nn.functional as F

KIND = "buggy"


def prompt_bias(T, prompt_len):
    bias = torch.full((T, T), float("-inf")).triu(1)
    bias[:prompt_len, :] = 0.0
    return bias


class Block(nn.Module):
    def __init__(self, dim=32, heads=4):
        super().__init__()
        self.h = heads
        self.qkv = nn.Linear(dim, 3 * dim)

    def forward(self, x, bias):
        B, T, C = x.shape
        q, k, v = self.qkv(x).view(B, T, 3, self.h, C // self.h).permute(2, 0, 3, 1, 4)
        return F.scaled_dot_product_attention(q, k, v, attn_mask=bias, dropout_p=0.1 if self.training else 0.0)  # expect: ML401


def run():
    torch.manual_seed(0)
    x = torch.randn(2, 7, 32)
    blk = Block().train()
    out = blk(x, prompt_bias(7, 3))
    out.sum().backward()
    blk.eval()
    with torch.no_grad():
        return (out.detach(), blk.qkv.weight.grad, blk(x, prompt_bias(7, 3)))
