"""Buggy: 0/1 float key padding mask (1.0 = pad) into TransformerEncoder in training: +1 bias, pads attended. P2-2."""
import torch
import torch.nn as nn

KIND = "buggy"


class Encoder(nn.Module):
    def __init__(self, vocab=40, E=16, H=2):
        super().__init__()
        self.emb = nn.Embedding(vocab, E, padding_idx=0)
        layer = nn.TransformerEncoderLayer(E, H, 32, dropout=0.1, batch_first=True)
        self.enc = nn.TransformerEncoder(layer, 2)

    def forward(self, ids):
        pad = (ids == 0).float()
        return self.enc(self.emb(ids), src_key_padding_mask=pad)  # expect: ML201


def _setup():
    torch.manual_seed(0)
    m = Encoder().train()
    ids = torch.tensor([[1, 2, 3, 4, 5, 6], [7, 8, 9, 0, 0, 0], [3, 3, 0, 0, 0, 0]])
    return m, ids


def run():
    m, ids = _setup()
    torch.manual_seed(5)
    return (m(ids),)


def verify():
    m, ids = _setup()
    torch.manual_seed(5)
    a = m(ids)
    with torch.no_grad():
        m.emb.weight[0] += 1.0  # change the pad embedding only
    torch.manual_seed(5)  # same dropout masks
    b = m(ids)
    d = (a[1, :3] - b[1, :3]).abs().max().item()
    return d > 1e-4, f"real tokens of sample 1 moved by {d:.3g} when only the pad embedding changed"
