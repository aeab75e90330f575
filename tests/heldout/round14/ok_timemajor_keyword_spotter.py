"""Streaming-friendly keyword spotter with a time-major Transformer. Audio frames arrive as
(T, B, F); lengths come from the feature pipeline."""
from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

KEYWORDS = ["_silence_", "_unknown_", "yes", "no", "up", "down", "left", "right", "on", "off", "stop", "go"]


def time_major_padding(lengths: torch.Tensor, max_len: int) -> torch.Tensor:
    """(T, B) bool, True where frame t of utterance b is padding."""
    return torch.arange(max_len, device=lengths.device)[:, None] >= lengths[None, :]


class KWSLayer(nn.Module):
    def __init__(self, dim: int, heads: int, dropout: float = 0.1):
        super().__init__()
        self.mha = nn.MultiheadAttention(dim, heads, dropout=dropout)
        self.ln1, self.ln2 = nn.LayerNorm(dim), nn.LayerNorm(dim)
        self.ff = nn.Sequential(nn.Linear(dim, 2 * dim), nn.GELU(), nn.Dropout(dropout), nn.Linear(2 * dim, dim))

    def forward(self, x: torch.Tensor, pad_tb: torch.Tensor) -> torch.Tensor:
        y = self.ln1(x)
        y, _ = self.mha(y, y, y, key_padding_mask=pad_tb.transpose(0, 1), need_weights=False)
        x = x + y
        return x + self.ff(self.ln2(x))


class KeywordSpotter(nn.Module):
    def __init__(self, n_mels: int = 40, dim: int = 64, heads: int = 4, layers: int = 2):
        super().__init__()
        self.subsample = nn.Conv1d(n_mels, dim, kernel_size=3, stride=2, padding=1)
        self.layers = nn.ModuleList(KWSLayer(dim, heads) for _ in range(layers))
        self.cls = nn.Linear(dim, len(KEYWORDS))

    def forward(self, frames: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
        x = self.subsample(frames.permute(1, 2, 0)).permute(2, 0, 1)   # (T', B, D)
        lengths = (lengths + 1) // 2
        pad_tb = time_major_padding(lengths, x.size(0))
        for layer in self.layers:
            x = layer(x, pad_tb)
        keep = (~pad_tb).unsqueeze(-1).float()
        return self.cls((x * keep).sum(0) / keep.sum(0))


if __name__ == "__main__":
    torch.manual_seed(0)
    lengths = torch.tensor([98, 61, 80, 45])
    frames = torch.randn(98, 4, 40) * (torch.arange(98)[:, None, None] < lengths[None, :, None])
    model = KeywordSpotter()
    logits = model(frames, lengths)
    loss = F.cross_entropy(logits, torch.tensor([2, 5, 10, 0]))
    loss.backward()
    print("kws loss", round(loss.item(), 4), "pred", logits.argmax(-1).tolist())
