import torch
import torch.nn as nn


class StrokeEncoder(nn.Module):
    def __init__(self, d=16):
        super().__init__()
        self.mha = nn.MultiheadAttention(d, 2)

    def forward(self, strokes):
        s, n = max(t.size(0) for t in strokes), len(strokes)
        x = torch.zeros(s, n, 16)
        blocked = torch.ones(s, n, dtype=torch.bool)
        for j, t in enumerate(strokes):
            x[: t.size(0), j] = t
            blocked[: t.size(0), j] = False
        return self.mha(x, x, x, key_padding_mask=blocked.T)[0]
