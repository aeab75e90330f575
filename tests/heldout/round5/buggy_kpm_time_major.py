"""Keyword spotting: a small transformer over log-mel frames in (T, B, F) layout."""
import torch
import torch.nn as nn


def frame_padding(lengths, T):
    steps = torch.arange(T, device=lengths.device)
    return steps[:, None] >= lengths[None, :]  # True on padded frames


class KWSTransformer(nn.Module):
    def __init__(self, n_mels=40, d=96, heads=4, depth=3, n_keywords=12):
        super().__init__()
        self.front = nn.Linear(n_mels, d)
        self.cls = nn.Parameter(torch.zeros(1, 1, d))
        self.layers = nn.ModuleList(nn.TransformerEncoderLayer(d, heads, 2 * d, 0.1) for _ in range(depth))
        self.head = nn.Linear(d, n_keywords)

    def forward(self, mels, lengths):
        T, B, _ = mels.shape
        x = torch.cat([self.cls.expand(1, B, -1), self.front(mels)], dim=0)
        pad = frame_padding(lengths + 1, T + 1)
        for layer in self.layers:
            x = layer(x, src_key_padding_mask=pad)  # expect: ML304
        return self.head(x[0])


if __name__ == "__main__":
    m = KWSTransformer()
    try:
        print(m(torch.randn(49, 8, 40), torch.randint(20, 50, (8,))).shape)
    except (RuntimeError, AssertionError) as e:
        print("error:", str(e)[:80])
