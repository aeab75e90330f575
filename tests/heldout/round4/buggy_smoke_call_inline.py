# Quick shape/sanity check of a decoder block for a melody model (notebook export).
import torch
import torch.nn as nn


class MelodyDecoderBlock(nn.Module):
    def __init__(self, d_model, n_heads, dropout=0.0):
        super().__init__()
        self.self_attn = nn.MultiheadAttention(d_model, n_heads, dropout=dropout, batch_first=True)
        self.norm1 = nn.LayerNorm(d_model)
        self.ff = nn.Sequential(
            nn.Linear(d_model, 2 * d_model),
            nn.GELU(),
            nn.Linear(2 * d_model, d_model),
        )
        self.norm2 = nn.LayerNorm(d_model)

    def forward(self, x, attn_mask=None):
        y, w = self.self_attn(x, x, x, attn_mask=attn_mask)
        x = self.norm1(x + y)
        x = self.norm2(x + self.ff(x))
        return x, w


# %% build inputs
torch.manual_seed(0)
B, T, D = 2, 16, 64
notes = torch.randn(B, T, D)

# 1 above the diagonal = future note, must not be seen
future = torch.triu(torch.ones(T, T), diagonal=1)

# %% run once
out, weights = MelodyDecoderBlock(D, 4)(notes, future)  # expect: ML202
print(out.shape, weights.shape)
print("weight on future positions:", (weights * future).sum().item())
