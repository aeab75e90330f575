"""Training scripts with no model class: embedded tokens through self-attention without a causal
mask, trained to predict the next token."""
import torch
import torch.nn as nn
import torch.nn.functional as F

vocab, dim = 500, 64
emb = nn.Embedding(vocab, dim)
layer = nn.TransformerEncoderLayer(dim, 4, batch_first=True)
head = nn.Linear(dim, vocab)


def train_step(batch):
    x = emb(batch[:, :-1])
    h = layer(x)  # expect: ML401
    logits = head(h)
    return F.cross_entropy(logits.reshape(-1, vocab), batch[:, 1:].reshape(-1))


for step in range(3):
    tokens = torch.randint(0, vocab, (8, 33))
    h = layer(emb(tokens))  # expect: ML401
    loss = F.cross_entropy(head(h)[:, :-1].flatten(0, 1), tokens[:, 1:].flatten())
