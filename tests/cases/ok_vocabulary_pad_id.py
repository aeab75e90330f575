"""Near-misses: the padding mask compares the ids with the vocabulary's own pad id."""
import torch
import torch.nn as nn

SPECIALS = ("<s>", "</s>", "<pad>", "<unk>")
WORDS = ["stem", "leaf", "root", "bark"]
ITOS = list(SPECIALS) + WORDS
PAD_ID = ITOS.index("<pad>")


class Classifier(nn.Module):
    def __init__(self, d=32):
        super().__init__()
        self.emb = nn.Embedding(len(ITOS), d)
        self.attn = nn.MultiheadAttention(d, 4, batch_first=True)

    def forward(self, tokens):
        pad = tokens == PAD_ID
        h = self.emb(tokens)
        return self.attn(h, h, h, key_padding_mask=pad)[0]


class Tagger(nn.Module):
    def __init__(self, d=32):
        super().__init__()
        self.emb = nn.Embedding(len(ITOS), d)
        self.attn = nn.MultiheadAttention(d, 4, batch_first=True)

    def forward(self, tokens):
        h = self.emb(tokens)
        return self.attn(h, h, h, key_padding_mask=tokens.eq(2))[0]
