"""Buggy: nn.Transformer with src_key_padding_mask but no memory_key_padding_mask: decoder attends encoder pads. P5-1."""
import torch
import torch.nn as nn

KIND = "buggy"


class Translator(nn.Module):
    def __init__(self, vocab=30, E=16, H=2):
        super().__init__()
        self.emb = nn.Embedding(vocab, E, padding_idx=0)
        self.tf = nn.Transformer(E, H, 1, 1, 32, dropout=0.0, batch_first=True)
        self.out = nn.Linear(E, vocab)

    def forward(self, src, tgt):
        src_pad = src == 0
        tgt_mask = self.tf.generate_square_subsequent_mask(tgt.size(1))
        h = self.tf(self.emb(src), self.emb(tgt), tgt_mask=tgt_mask, src_key_padding_mask=src_pad)  # expect: ML502
        return self.out(h)


def _setup():
    torch.manual_seed(0)
    src = torch.tensor([[1, 2, 3, 4, 5, 6], [7, 8, 9, 0, 0, 0]])
    tgt = torch.tensor([[1, 4, 6, 2, 3], [1, 5, 7, 0, 0]])
    return Translator().train(), src, tgt


def run():
    m, s, t = _setup()
    return (m(s, t),)


def verify():
    m, s, t = _setup()
    a = m(s, t)
    with torch.no_grad():
        m.emb.weight[0] += 1.0
    b = m(s, t)
    d = (a[1, :3] - b[1, :3]).abs().max().item()
    return d > 1e-4, f"decoder outputs of sample 1 moved by {d:.3g} when only source pad embeddings changed (tgt has no pads in 0..2)"
