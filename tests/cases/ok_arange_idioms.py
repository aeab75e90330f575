"""Length-based padding and causal masks written with arange comparisons (MHA convention)."""
import torch
import torch.nn as nn


class LengthMaskedDecoder(nn.Module):
    def __init__(self, d_model=64, nhead=4):
        super().__init__()
        self.self_attn = nn.MultiheadAttention(d_model, nhead, batch_first=True)

    def forward(self, x, lengths):
        # x: (B, S, D), lengths: (B,)
        S = x.size(1)
        pos = torch.arange(S, device=x.device)
        padded = lengths.unsqueeze(1) <= pos
        future = pos[:, None] < pos
        out, _ = self.self_attn(x, x, x, attn_mask=future, key_padding_mask=padded)
        return out
