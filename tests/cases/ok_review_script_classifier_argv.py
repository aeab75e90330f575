"""Sentiment classification with a small Transformer encoder (torchtext-tutorial style script)."""
import sys
import torch
import torch.nn as nn

vocab_size, d_model, num_class = 1000, 64, 2
files = sys.argv[1:]

emb = nn.Embedding(vocab_size, d_model, padding_idx=0)
layer = nn.TransformerEncoderLayer(d_model, 4, batch_first=True)
encoder = nn.TransformerEncoder(layer, 2)
head = nn.Linear(d_model, num_class)
criterion = nn.CrossEntropyLoss()
opt = torch.optim.Adam(list(emb.parameters()) + list(encoder.parameters()) + list(head.parameters()))

for step in range(100):
    tokens = torch.randint(1, vocab_size, (8, 20))
    labels = torch.randint(0, num_class, (8,))
    pad = tokens == 0
    h = encoder(emb(tokens), src_key_padding_mask=pad)
    logits = head(h.mean(1))
    loss = criterion(logits, labels)
    opt.zero_grad(); loss.backward(); opt.step()
