import torch
import torch.nn as nn
import torch.nn.functional as F

from .experts import ExpertFFN
from .router import TopKRouter


class MoEBlock(nn.Module):
    """Pre-norm block: padded self-attention followed by a routed FFN."""

    def __init__(self, dim=64, heads=4, n_experts=4, k=2):
        super().__init__()
        self.heads = heads
        self.ln1 = nn.LayerNorm(dim)
        self.qkv = nn.Linear(dim, 3 * dim)
        self.proj = nn.Linear(dim, dim)
        self.ln2 = nn.LayerNorm(dim)
        self.router = TopKRouter(dim, n_experts, k)
        self.experts = ExpertFFN(dim, 2 * dim, n_experts)

    def forward(self, x, keep):
        B, T, D = x.shape
        q, k, v = self.qkv(self.ln1(x)).view(B, T, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        attn = F.scaled_dot_product_attention(q, k, v, attn_mask=keep[:, None, None, :])
        x = x + self.proj(attn.transpose(1, 2).reshape(B, T, D))

        flat = self.ln2(x).reshape(B * T, D)
        dispatch, combine, aux = self.router(flat, keep.reshape(-1))
        x = x + self.experts(flat, dispatch, combine).view(B, T, D)
        return x, aux
