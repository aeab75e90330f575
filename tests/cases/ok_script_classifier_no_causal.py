"""A classification script: bidirectional self-attention over embedded tokens is right."""
import torch
import torch.nn as nn
import torch.nn.functional as F

emb = nn.Embedding(500, 64)
layer = nn.TransformerEncoderLayer(64, 4, batch_first=True)
cls = nn.Linear(64, 3)

for step in range(3):
    tokens = torch.randint(1, 500, (8, 20))
    labels = torch.randint(0, 3, (8,))
    h = layer(emb(tokens))
    loss = F.cross_entropy(cls(h.mean(1)), labels)
