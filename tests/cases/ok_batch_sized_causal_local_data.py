"""The same scripts, sized by the sequence length."""
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
    causal = nn.Transformer.generate_square_subsequent_mask(tgt_in.size(1))
    return model(emb(src), emb(tgt_in), tgt_mask=causal)


ys = torch.randint(1, 50, (4, 3))
future = torch.triu(torch.ones(ys.shape[1], ys.shape[1], dtype=torch.bool), 1)
out = model(emb(ys), emb(ys), tgt_mask=future)
