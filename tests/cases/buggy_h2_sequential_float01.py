"""nn.Sequential of custom causal blocks; mask is a 0/1 float tril."""
import torch
import torch.nn as nn


class CausalSelfAttn(nn.Module):
    def __init__(self, d_model, n_heads, block_size):
        super().__init__()
        self.mha = nn.MultiheadAttention(d_model, n_heads, batch_first=True)
        self.ln = nn.LayerNorm(d_model)
        self.register_buffer("bias", torch.tril(torch.ones(block_size, block_size)))

    def forward(self, x):
        T = x.size(1)
        h = self.ln(x)
        a, _ = self.mha(h, h, h, attn_mask=self.bias[:T, :T], need_weights=False)  # expect: ML202
        return x + a


def build(d_model=192, n_heads=3, depth=4, block_size=256):
    return nn.Sequential(*[CausalSelfAttn(d_model, n_heads, block_size) for _ in range(depth)])
