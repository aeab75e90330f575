"""Line embeddings for retrieval: a separate bidirectional encoder, no next-character loss."""
import torch
import torch.nn as nn

from .model import VerseNet


class LineEncoder(nn.Module):
    def __init__(self, n_chars: int, d_model: int = 64):
        super().__init__()
        self.net = VerseNet(n_chars, d_model)
        self.proj = nn.Linear(n_chars, d_model)

    def forward(self, tokens: torch.Tensor) -> torch.Tensor:
        feats = self.net(tokens, causal=False)
        return nn.functional.normalize(self.proj(feats).mean(1), dim=-1)
