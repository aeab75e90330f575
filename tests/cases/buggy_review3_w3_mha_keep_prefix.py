import torch
import torch.nn as nn


class PrefixDecoderLayer(nn.Module):
    def __init__(self, d_model, nhead):
        super().__init__()
        self.attn = nn.MultiheadAttention(d_model, nhead, batch_first=True)

    def forward(self, x, prefix_len: int):
        L = x.size(1)
        allowed = torch.tril(torch.ones(L, L, dtype=torch.bool, device=x.device))  # True = may attend
        allowed[:prefix_len, :prefix_len].fill_(True)
        out, _ = self.attn(x, x, x, attn_mask=allowed)  # expect: ML101
        return out
