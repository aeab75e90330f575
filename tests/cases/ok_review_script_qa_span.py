"""Extractive QA head on a bidirectional encoder; plain functions."""
import torch
import torch.nn as nn

emb = nn.Embedding(1000, 64)
enc = nn.TransformerEncoder(nn.TransformerEncoderLayer(64, 4, batch_first=True), 2)
qa = nn.Linear(64, 2)


def best_span(start_logits, end_logits):
    best, arg = -1e9, (0, 0)
    for i in range(len(start_logits)):
        j = i + int(end_logits[i + 1:].argmax()) + 1 if i + 1 < len(end_logits) else i
        if start_logits[i] + end_logits[j] > best:
            best, arg = start_logits[i] + end_logits[j], (i, j)
    return arg


for step in range(10):
    tokens = torch.randint(1, 1000, (4, 32))
    h = enc(emb(tokens), src_key_padding_mask=tokens == 0)
    s, e = qa(h).unbind(-1)
    print(best_span(s[0], e[0]))
