import torch
import torch.nn as nn
from torch.nn.utils.rnn import pad_sequence


def collate(batch):
    tokens = pad_sequence([b["ids"] for b in batch], batch_first=True)
    valid = pad_sequence([torch.ones(len(b["ids"]), dtype=torch.bool) for b in batch], batch_first=True)
    return tokens, valid


class Tagger(nn.Module):
    def __init__(self, vocab=500, d=64):
        super().__init__()
        self.emb = nn.Embedding(vocab, d)
        self.enc = nn.TransformerEncoder(nn.TransformerEncoderLayer(d, 4, batch_first=True), 2)

    def forward(self, tokens, valid):
        return self.enc(self.emb(tokens), src_key_padding_mask=valid)


def step(model, batch):
    tokens, valid = collate(batch)
    return model(tokens, valid)  # expect: ML101
