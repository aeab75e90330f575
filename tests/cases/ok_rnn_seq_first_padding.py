"""The same pipeline with the mask transposed to (N, S), and a batch-first one."""
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
        return self.attn(h, h, h, key_padding_mask=padded.eq(0).t())[0]


class BatchFirst(nn.Module):
    def __init__(self, vocab=50, dim=32):
        super().__init__()
        self.emb = nn.Embedding(vocab, dim, padding_idx=0)
        self.rnn = nn.GRU(dim, dim, batch_first=True)
        self.attn = nn.MultiheadAttention(dim, 4, batch_first=True)

    def forward(self, seqs):
        padded = pad_sequence(seqs, batch_first=True)
        h, _ = self.rnn(self.emb(padded))
        return self.attn(h, h, h, key_padding_mask=padded == 0)[0]


if __name__ == "__main__":
    seqs = [torch.tensor([3, 4, 5]), torch.tensor([6, 7])]
    Encoder()(seqs)
    BatchFirst()(seqs)
