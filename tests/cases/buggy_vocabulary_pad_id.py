"""Padding masks that compare the ids with a literal id the module's own vocabulary gives to
another token (round19's dental chart: ["<unk>", "<pad>", ...], the mask `codes.eq(0)`)."""
import torch
import torch.nn as nn
import torch.nn.functional as F

SPECIALS = ("<s>", "</s>", "<pad>", "<unk>")
WORDS = ["stem", "leaf", "root", "bark"]
ITOS = list(SPECIALS) + WORDS


def encode(words, length):
    ids = [ITOS.index(w) for w in words][:length]
    return ids + [ITOS.index("<pad>")] * (length - len(ids))


class Classifier(nn.Module):
    def __init__(self, d=32):
        super().__init__()
        self.emb = nn.Embedding(len(ITOS), d)
        self.attn = nn.MultiheadAttention(d, 4, batch_first=True)

    def forward(self, tokens):
        pad = tokens == 0  # expect: ML505
        h = self.emb(tokens)
        return self.attn(h, h, h, key_padding_mask=pad)[0]
