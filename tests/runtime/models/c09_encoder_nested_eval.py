"""Correct: TransformerEncoder, batch_first, eval + no_grad, bool right-padding mask -> nested-tensor path."""
import torch
import torch.nn as nn

KIND = "correct"


class SentenceEncoder(nn.Module):
    def __init__(self, vocab=40, E=16, H=2):
        super().__init__()
        self.emb = nn.Embedding(vocab, E, padding_idx=0)
        self.enc = nn.TransformerEncoder(nn.TransformerEncoderLayer(E, H, 32, batch_first=True), 2, enable_nested_tensor=True)

    def forward(self, ids):
        pad = ids == 0
        h = self.enc(self.emb(ids), src_key_padding_mask=pad)
        keep = (~pad).unsqueeze(-1).float()
        return (h * keep).sum(1) / keep.sum(1)


def _setup():
    torch.manual_seed(0)
    ids = torch.tensor([[1, 2, 3, 4, 5, 6], [7, 8, 9, 0, 0, 0], [3, 3, 3, 3, 0, 0]])
    return SentenceEncoder().eval(), ids


def run():
    m, ids = _setup()
    with torch.no_grad():
        return (m(ids),)


def verify():
    m, ids = _setup()
    with torch.no_grad():
        a = m(ids)
        b = torch.stack([m(ids[i:i + 1, : int((ids[i] != 0).sum())])[0] for i in range(3)])
    d = (a - b).abs().max().item()
    return d < 1e-5, f"batched vs per-sample unpadded differ by {d:.3g}"
