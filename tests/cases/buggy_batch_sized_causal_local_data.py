"""Causal masks sized from the batch dimension of data made in the script itself (random token
ids, a helper returning them, a shifted slice of them)."""
import torch
import torch.nn as nn

model = nn.Transformer(d_model=32, nhead=4, batch_first=True)
emb = nn.Embedding(50, 32)


def batch(n, t):
    ids = torch.randint(1, 50, (n, t))
    return ids, ids


def step():
    src, tgt = batch(8, 12)
    tgt_in = tgt[:, :-1]
    causal = nn.Transformer.generate_square_subsequent_mask(tgt_in.size(0))
    return model(emb(src), emb(tgt_in), tgt_mask=causal)  # expect: ML303


ys = torch.randint(1, 50, (4, 3))
future = torch.triu(torch.ones(ys.shape[0], ys.shape[0], dtype=torch.bool), 1)
out = model(emb(ys), emb(ys), tgt_mask=future)  # expect: ML303
