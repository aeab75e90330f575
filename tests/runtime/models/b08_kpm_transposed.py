"""Buggy: seq-first token ids (S, N) give a key padding mask laid out (S, N); API wants (N, S). P3-6/P3-7."""
import torch
import torch.nn as nn

KIND = "buggy"


class Seq2Vec(nn.Module):
    def __init__(self, vocab=30, E=16, H=2):
        super().__init__()
        self.emb = nn.Embedding(vocab, E, padding_idx=0)
        self.enc = nn.TransformerEncoder(nn.TransformerEncoderLayer(E, H, 32, dropout=0.0), 2, enable_nested_tensor=False)

    def forward(self, ids):  # ids: (S, N)
        pad = ids == 0
        h = self.enc(self.emb(ids), src_key_padding_mask=pad)  # expect: ML304
        return h.mean(0)


def _setup():
    torch.manual_seed(0)
    ids = torch.tensor([[1, 2, 3], [4, 5, 6], [7, 8, 0], [9, 1, 0], [2, 0, 0], [3, 0, 0]])  # (S=6, N=3)
    return Seq2Vec().train(), ids


def run():
    m, ids = _setup()
    try:
        return (m(ids),)
    except Exception as e:
        return (f"{type(e).__name__}: {e}",)


def verify():
    m, ids = _setup()
    try:
        m(ids)
    except Exception as e:
        return True, f"torch raised {type(e).__name__}: {str(e)[:90]}"
    return False, "no error"
