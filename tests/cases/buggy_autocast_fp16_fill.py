"""The same -1e9 fill in a head that runs under float16 autocast: it overflows float16."""
import torch
import torch.nn as nn

NEG = -1e9  # expect: ML205


class PoolingHead(nn.Module):
    def __init__(self, d=32):
        super().__init__()
        self.q = nn.Parameter(torch.randn(1, 1, d))
        self.k = nn.Linear(d, d)

    def forward(self, x, present):
        with torch.autocast(device_type="cuda", dtype=torch.float16):
            logits = (self.q @ self.k(x).transpose(1, 2)) / x.size(-1) ** 0.5
            logits = logits.masked_fill(~present[:, None, :], NEG)
            return logits.softmax(-1) @ x
