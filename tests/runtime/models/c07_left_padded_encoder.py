"""Correct: left-padded Hugging Face batch (no sample fully padded) into a bidirectional TransformerEncoder, training."""
import torch
import torch.nn as nn

KIND = "correct"


class Encoder(nn.Module):
    def __init__(self, vocab=40, E=16, H=2):
        super().__init__()
        self.emb = nn.Embedding(vocab, E, padding_idx=0)
        self.enc = nn.TransformerEncoder(nn.TransformerEncoderLayer(E, H, 32, dropout=0.0, batch_first=True), 2)

    def forward(self, input_ids, attention_mask):
        return self.enc(self.emb(input_ids), src_key_padding_mask=attention_mask == 0)


def _setup():
    torch.manual_seed(0)
    ids = torch.tensor([[0, 0, 5, 6, 7, 8], [1, 2, 3, 4, 5, 6], [0, 0, 0, 9, 9, 3]])
    return Encoder().train(), ids, (ids != 0).long()


def run():
    m, ids, am = _setup()
    return (m(ids, am),)


def verify():
    m, ids, am = _setup()
    a = m(ids, am)
    with torch.no_grad():
        m.emb.weight[0] += 1.0
    b = m(ids, am)
    d = (a - b)[am.bool()].abs().max().item()
    return d == 0.0 and not torch.isnan(a).any(), f"real tokens moved by {d} when pad embedding changed"
