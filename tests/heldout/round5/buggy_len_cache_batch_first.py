"""Symbolic-music continuation model; square causal masks are cached by size."""
from functools import lru_cache

import torch
import torch.nn as nn


@lru_cache(maxsize=16)
def square_causal(n: int) -> torch.Tensor:
    return nn.Transformer.generate_square_subsequent_mask(n)


class ContinuationModel(nn.Module):
    def __init__(self, vocab=512, d=128, heads=4, layers=3):
        super().__init__()
        self.emb = nn.Embedding(vocab, d)
        self.pos = nn.Parameter(torch.randn(1, 1024, d) * 0.02)
        self.body = nn.TransformerEncoder(
            nn.TransformerEncoderLayer(d, heads, 4 * d, 0.1, batch_first=True), layers
        )
        self.head = nn.Linear(d, vocab)

    def forward(self, notes: torch.Tensor) -> torch.Tensor:
        # notes: (batch, time)
        x = self.emb(notes) + self.pos[:, : notes.size(1)]
        causal = square_causal(len(notes))
        x = self.body(x, mask=causal)  # expect: ML303
        return self.head(x)


if __name__ == "__main__":
    model = ContinuationModel()
    notes = torch.randint(0, 512, (8, 8))  # works by accident when batch == time
    print(model(notes).shape)
    try:
        model(torch.randint(0, 512, (4, 16)))
    except (RuntimeError, AssertionError) as e:
        print("error:", str(e)[:80])
