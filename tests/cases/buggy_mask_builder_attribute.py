import torch
import torch.nn as nn


def keep_past(n, device=None):
    return torch.tril(torch.ones(n, n, dtype=torch.bool, device=device))


class Decoder(nn.Module):
    def __init__(self, d=64, h=4):
        super().__init__()
        self.attn = nn.MultiheadAttention(d, h, batch_first=True)
        self.mask_builder = keep_past

    def forward(self, x):
        m = self.mask_builder(x.size(1), x.device)
        return self.attn(x, x, x, attn_mask=m, need_weights=False)[0]  # expect: ML101
