import torch
import torch.nn as nn
import torch.nn.functional as F

from .routing import ExpertChoiceRouter


class CausalSelfAttention(nn.Module):
    def __init__(self, d, heads):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(d, 3 * d)
        self.o = nn.Linear(d, d)

    def forward(self, x):
        B, T, D = x.shape
        q, k, v = self.qkv(x).view(B, T, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        return self.o(F.scaled_dot_product_attention(q, k, v, is_causal=True).transpose(1, 2).reshape(B, T, D))


class SparseMoE(nn.Module):
    def __init__(self, d, n_experts=4):
        super().__init__()
        self.router = ExpertChoiceRouter(d, n_experts)
        self.experts = nn.ModuleList(nn.Sequential(nn.Linear(d, 2 * d), nn.GELU(), nn.Linear(2 * d, d)) for _ in range(n_experts))

    def forward(self, x):
        B, T, D = x.shape
        flat = x.reshape(-1, D)
        dispatch, combine, index = self.router(flat)
        out = torch.zeros_like(flat)
        for e, expert in enumerate(self.experts):
            picked = index[e]
            out.index_add_(0, picked, expert(flat[picked]) * combine[e, picked, None])
        return out.view(B, T, D)
