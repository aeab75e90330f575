"""Smoke-test inputs read as what they are: a tokenizer-style int mask (1 = a real token), a square mask written by columns (keys every query may see), a batch made
of several padded samples; each misused here."""
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

prompt_mask = torch.tensor([[1, 1, 1, 1, 0, 0]])
mha(x, x, x, key_padding_mask=prompt_mask.bool())  # expect: ML101

visible = torch.zeros(6, 6, dtype=torch.bool)
visible[:, :3] = True
mha(x, x, x, attn_mask=visible)  # expect: ML101

batch = batchify([[3, 4, 5], [6], [8, 9]])
encoder(emb(batch))  # expect: ML505
