"""Data pipeline producing NamedTuple batches consumed by an encoder classifier."""
from typing import NamedTuple

import torch
import torch.nn as nn

PAD = 0


class TextBatch(NamedTuple):
    tokens: torch.Tensor
    pad_mask: torch.Tensor
    labels: torch.Tensor


def collate(samples, pad=PAD):
    L = max(len(s) for s, _ in samples)
    tokens = torch.full((len(samples), L), pad, dtype=torch.long)
    for i, (s, _) in enumerate(samples):
        tokens[i, : len(s)] = torch.tensor(s)
    labels = torch.tensor([y for _, y in samples])
    return TextBatch(tokens, (tokens == pad).float(), labels)


class Classifier(nn.Module):
    def __init__(self, vocab=50, d=32, heads=4, n_cls=3):
        super().__init__()
        self.emb = nn.Embedding(vocab, d, padding_idx=PAD)
        self.enc = nn.TransformerEncoder(
            nn.TransformerEncoderLayer(d, heads, 64, 0.0, batch_first=True), 2,
            enable_nested_tensor=False,
        )
        self.cls = nn.Linear(d, n_cls)

    def forward(self, batch: TextBatch):
        h = self.enc(
            self.emb(batch.tokens),
            src_key_padding_mask=batch.pad_mask,  # expect: ML201
        )
        keep = (1.0 - batch.pad_mask).unsqueeze(-1)
        return self.cls((h * keep).sum(1) / keep.sum(1))


if __name__ == "__main__":
    torch.manual_seed(0)
    b = collate([([3, 4, 5], 0), ([7, 8, 9, 10, 11], 1)])
    m = Classifier().train()
    short = collate([([3, 4, 5], 0)])
    print("padding changes the short sample:", (m(b)[0] - m(short)[0]).abs().max().item() > 1e-5)
