"""The same script with causal masks, and a classification script that needs none."""
import torch
import torch.nn as nn
import torch.nn.functional as F

vocab, dim = 500, 64
emb = nn.Embedding(vocab, dim)
layer = nn.TransformerEncoderLayer(dim, 4, batch_first=True)
head = nn.Linear(dim, vocab)


def train_step(batch):
    x = emb(batch[:, :-1])
    causal = nn.Transformer.generate_square_subsequent_mask(x.size(1))
    h = layer(x, src_mask=causal, is_causal=True)
    logits = head(h)
    return F.cross_entropy(logits.reshape(-1, vocab), batch[:, 1:].reshape(-1))


for step in range(3):
    tokens = torch.randint(0, vocab, (8, 33))
    h = layer(emb(tokens), src_mask=nn.Transformer.generate_square_subsequent_mask(33), is_causal=True)
    loss = F.cross_entropy(head(h)[:, :-1].flatten(0, 1), tokens[:, 1:].flatten())
