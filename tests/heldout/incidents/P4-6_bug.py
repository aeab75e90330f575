import torch
import torch.nn as nn


class DecoderBlock(nn.Module):
    """Causal self-attention block that also returns the attention map for visualisation."""

    def __init__(self, d_model=8, nhead=2):
        super().__init__()
        self.ln1 = nn.LayerNorm(d_model)
        self.attn = nn.MultiheadAttention(d_model, nhead, batch_first=True)
        self.ln2 = nn.LayerNorm(d_model)
        self.mlp = nn.Sequential(nn.Linear(d_model, 4 * d_model), nn.GELU(), nn.Linear(4 * d_model, d_model))

    def forward(self, x):
        h = self.ln1(x)
        a, weights = self.attn(h, h, h, need_weights=True, is_causal=True)  # BUG: is_causal without attn_mask on the need_weights path
        x = x + a
        x = x + self.mlp(self.ln2(x))
        return x, weights


def run():
    block = DecoderBlock()
    x = torch.randn(2, 5, 8)
    out, weights = block(x)
    return out
