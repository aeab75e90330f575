"""Buggy: TransformerEncoderLayer(x, is_causal=True) without a mask; eval + no_grad runs unmasked. P4-5."""
import torch
import torch.nn as nn

KIND = "buggy"


class TinyDecoderOnly(nn.Module):
    def __init__(self, vocab=40, E=16, H=2):
        super().__init__()
        self.emb = nn.Embedding(vocab, E)
        self.layers = nn.ModuleList([nn.TransformerEncoderLayer(E, H, 32, batch_first=True) for _ in range(2)])
        self.head = nn.Linear(E, vocab)

    def forward(self, ids):
        x = self.emb(ids)
        for layer in self.layers:
            x = layer(x, is_causal=True)  # expect: ML402
        return self.head(x)


def _setup():
    torch.manual_seed(0)
    return TinyDecoderOnly().eval(), torch.randint(1, 40, (2, 7))


def run():
    m, ids = _setup()
    with torch.no_grad():
        return (m(ids),)


def verify():
    m, ids = _setup()
    ids2 = ids.clone()
    ids2[:, -1] = (ids2[:, -1] % 39) + 1
    with torch.no_grad():
        a, b = m(ids), m(ids2)
    d = (a[:, 0] - b[:, 0]).abs().max().item()
    return d > 1e-4, f"position 0 logits moved by {d:.3g} when the last token changed"
