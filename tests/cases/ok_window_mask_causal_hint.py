"""The same window mask without the causal hint, and a causal window with it (silent)."""
import torch
import torch.nn as nn


def window_mask(n, left, right, device=None):
    pos = torch.arange(n, device=device)
    rel = pos[None, :] - pos[:, None]
    return (rel < -left) | (rel > right)


class StreamingEncoder(nn.Module):
    def __init__(self, d=64, heads=4, left=16, right=2):
        super().__init__()
        self.left, self.right = left, right
        self.layer = nn.TransformerEncoderLayer(d, heads, batch_first=True)

    def forward(self, x):
        mask = window_mask(x.size(1), self.left, self.right, x.device)
        return self.layer(x, src_mask=mask, is_causal=False)


class CausalEncoder(nn.Module):
    def __init__(self, d=64, heads=4):
        super().__init__()
        self.layer = nn.TransformerEncoderLayer(d, heads, batch_first=True)

    def forward(self, x):
        n = x.size(1)
        mask = nn.Transformer.generate_square_subsequent_mask(n, device=x.device)
        return self.layer(x, src_mask=mask, is_causal=True)


def causal_window(n, window, device=None):
    i = torch.arange(n, device=device)[:, None]
    j = torch.arange(n, device=device)[None, :]
    return (j > i) | (j <= i - window)


class LocalLM(nn.Module):
    def __init__(self, d=64, heads=4, window=32):
        super().__init__()
        self.window = window
        layer = nn.TransformerEncoderLayer(d, heads, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, 2)

    def forward(self, x):
        mask = causal_window(x.size(1), self.window, x.device)
        return self.encoder(x, mask=mask)
