"""RNN-era pipelines: pad_sequence (sequence-first by default) and an RNN before attention; the
padding mask keeps the (S, N) layout of the padded ids."""
import torch
import torch.nn as nn
from torch.nn.utils.rnn import pad_sequence


class Encoder(nn.Module):
    def __init__(self, vocab=50, dim=32):
        super().__init__()
        self.emb = nn.Embedding(vocab, dim, padding_idx=0)
        self.rnn = nn.LSTM(dim, dim)
        self.attn = nn.MultiheadAttention(dim, 4)

    def forward(self, seqs):
        padded = pad_sequence(seqs, padding_value=0)
        h, _ = self.rnn(self.emb(padded))
        key_pad = padded == 0
        return self.attn(h, h, h, key_padding_mask=key_pad)[0]  # expect: ML304


if __name__ == "__main__":
    Encoder()([torch.tensor([3, 4, 5]), torch.tensor([6, 7])])


class EqSpelling(nn.Module):
    def __init__(self, vocab=50, dim=32):
        super().__init__()
        self.emb = nn.Embedding(vocab, dim, padding_idx=0)
        self.rnn = nn.GRU(dim, dim)
        self.attn = nn.MultiheadAttention(dim, 4)

    def forward(self, seqs):
        padded = pad_sequence(seqs, padding_value=0)
        h, _ = self.rnn(self.emb(padded))
        return self.attn(h, h, h, key_padding_mask=padded.eq(0))[0]  # expect: ML304


def smoke():
    EqSpelling()([torch.tensor([3, 4, 5]), torch.tensor([6, 7])])
