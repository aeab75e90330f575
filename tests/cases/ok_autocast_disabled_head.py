"""A -1e9 fill in a head that turns autocast off around itself (float32 on purpose): fine."""
import torch
import torch.nn as nn

NEG = -1e9


class PoolingHead(nn.Module):
    def __init__(self, d=32):
        super().__init__()
        self.q = nn.Parameter(torch.randn(1, 1, d))
        self.k = nn.Linear(d, d)

    def forward(self, x, present):
        with torch.autocast(device_type=x.device.type, enabled=False):
            x = x.float()
            logits = (self.q @ self.k(x).transpose(1, 2)) / x.size(-1) ** 0.5
            logits = logits.masked_fill(~present[:, None, :], NEG)
            return logits.softmax(-1) @ x


class LegacyHead(PoolingHead):
    def forward(self, x, present):
        with torch.cuda.amp.autocast(False):  # `enabled` as the first positional argument
            logits = (self.q @ self.k(x.float()).transpose(1, 2)) / x.size(-1) ** 0.5
            logits = logits.masked_fill(~present[:, None, :], NEG)
            return logits.softmax(-1) @ x
