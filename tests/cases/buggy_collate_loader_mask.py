"""Masks built by a DataLoader's collate function reach the model through the loop over the loader
(catalogue P2-2): the loop sees what the collate returns, in a tuple or a dict."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader


def collate_tuple(batch, pad_id=0):
    max_len = max(len(seq) for seq, _ in batch)
    tokens = torch.full((len(batch), max_len), pad_id, dtype=torch.long)
    keep = torch.ones(len(batch), max_len)
    for i, (seq, _) in enumerate(batch):
        tokens[i, : len(seq)] = torch.as_tensor(seq)
        keep[i, len(seq):] = 0.0
    return tokens, keep, torch.tensor([y for _, y in batch])


def collate_dict(batch):
    ids = nn.utils.rnn.pad_sequence([torch.as_tensor(s) for s in batch], batch_first=True)
    return {"input_ids": ids, "attention_mask": (ids != 0).long()}


class Classifier(nn.Module):
    def __init__(self, vocab=50, d=32, heads=4):
        super().__init__()
        self.emb = nn.Embedding(vocab, d, padding_idx=0)
        self.layer = nn.TransformerEncoderLayer(d, heads, dim_feedforward=64, batch_first=True)
        self.head = nn.Linear(d, 3)

    def forward(self, tokens, padding_mask):
        return self.head(self.layer(self.emb(tokens), src_key_padding_mask=padding_mask)[:, 0])


def train(data):
    model = Classifier()
    for tokens, keep, labels in DataLoader(data, batch_size=4, collate_fn=collate_tuple):
        loss = nn.functional.cross_entropy(model(tokens, keep), labels)  # expect: ML201
        loss.backward()


def embed_all(texts):
    model = Classifier()
    loader = DataLoader(texts, batch_size=8, collate_fn=collate_dict)
    return [model(b["input_ids"], b["attention_mask"]) for b in loader]  # expect: ML101, ML203
