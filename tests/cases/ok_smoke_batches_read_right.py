"""Correct: smoke-test inputs read as what they are: an int mask padded on the left (1 = a
real token, or segment ids: open), a square mask written by columns (keys every query may see), a batch of
one sample (no padding), each used as its API reads it."""
import torch
import torch.nn as nn


def batchify(seqs, pad_idx=0):
    longest = max(len(s) for s in seqs)
    out = torch.full((longest, len(seqs)), pad_idx, dtype=torch.long)
    for j, s in enumerate(seqs):
        out[: len(s), j] = torch.tensor(s)
    return out


emb = nn.Embedding(30, 8, padding_idx=0)
encoder = nn.TransformerEncoder(nn.TransformerEncoderLayer(8, 2, 16), 1)
mha = nn.MultiheadAttention(8, 2, batch_first=True)
x = torch.randn(1, 6, 8)

prompt_mask = torch.tensor([[0, 0, 1, 1, 1, 1]])
mha(x, x, x, key_padding_mask=prompt_mask == 0)

visible = torch.zeros(6, 6, dtype=torch.bool)
visible[:, :3] = True
mha(x, x, x, attn_mask=~visible)

single = batchify([[3, 4, 5]])
encoder(emb(single))
