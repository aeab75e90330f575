"""Buggy: an additive causal bias built from the keep triangle (tril * -1e9): it hides each query's
own key and the past and leaves the future visible; added in place to einsum scores."""
import torch
import torch.nn as nn

KIND = "buggy"


class CausalAttention(nn.Module):
    def __init__(self, dim=16, heads=4, max_len=16):
        super().__init__()
        self.h = heads
        self.qkv = nn.Linear(dim, 3 * dim)
        self.register_buffer("bias", torch.tril(torch.ones(max_len, max_len)) * -1e9)

    def forward(self, x):
        B, T, C = x.shape
        q, k, v = self.qkv(x).view(B, T, 3, self.h, C // self.h).unbind(2)
        att = torch.einsum("bqhd,bkhd->bhqk", q, k) / (C // self.h) ** 0.5
        att += self.bias[:T, :T]  # expect: ML103|ML404
        return torch.einsum("bhqk,bkhd->bqhd", att.softmax(-1), v).reshape(B, T, C)


def run():
    torch.manual_seed(0)
    x = torch.randn(2, 6, 16)
    m = CausalAttention().train()
    out = m(x)
    out.sum().backward()
    return (out.detach(), m.qkv.weight.grad)
