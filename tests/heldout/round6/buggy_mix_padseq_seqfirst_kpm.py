"""RNN-era data pipeline (pad_sequence, sequence-first) feeding nn.MultiheadAttention."""
import torch
import torch.nn as nn
from torch.nn.utils.rnn import pad_sequence

PAD = 0


class AttnEncoder(nn.Module):
    def __init__(self, vocab=50, dim=32, heads=4):
        super().__init__()
        self.emb = nn.Embedding(vocab, dim, padding_idx=PAD)
        self.rnn = nn.GRU(dim, dim)
        self.attn = nn.MultiheadAttention(dim, heads)  # (L, N, E) layout

    def forward(self, seqs):
        padded = pad_sequence(seqs, padding_value=PAD)  # (S, N)
        x, _ = self.rnn(self.emb(padded))
        key_pad = padded == PAD
        ctx, weights = self.attn(
            x, x, x,
            key_padding_mask=key_pad,  # expect: ML304
        )
        return ctx, weights


if __name__ == "__main__":
    enc = AttnEncoder()
    seqs = [torch.tensor([3, 4, 5, 6]), torch.tensor([7, 8]), torch.tensor([9, 10, 11])]
    try:
        enc(seqs)
    except AssertionError as e:
        print(e)
