"""Reproducer-style script (pytorch#131254): sliding-window causal attention
via a banded src_mask, with is_causal=True also set.  In training (slow path
with need_weights=False) torch uses plain causal attention and drops the
band silently."""
import torch
import torch.nn as nn

WINDOW = 2


def sliding_window_mask(seq_len, window):
    i = torch.arange(seq_len)[:, None]
    j = torch.arange(seq_len)[None, :]
    return (j > i) | (j < i - window)  # True = blocked


layer = nn.TransformerEncoderLayer(d_model=16, nhead=2, dim_feedforward=32, dropout=0.0, batch_first=True)


def encode(x):
    mask = sliding_window_mask(x.size(1), WINDOW)
    return layer(x, src_mask=mask, is_causal=False)


if __name__ == "__main__":
    torch.manual_seed(0)
    x = torch.randn(2, 6, 16)
    x2 = x.clone(); x2[:, 0] = torch.randn(2, 16)  # token 0 is outside the window of the last query
    a, b = encode(x), encode(x2)
    print("last-query change from a key outside its window:", (a[:, -1] - b[:, -1]).abs().max().item())
