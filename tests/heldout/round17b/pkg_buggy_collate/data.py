"""Tokenisation and batching of review comments."""
import re

import torch

PAD, UNK, CLS = 0, 1, 2
LABELS = ["nit", "defect-risk", "style", "question", "praise"]


class Vocab:
    def __init__(self, texts, max_size=5000):
        counts = {}
        for t in texts:
            for w in self.split(t):
                counts[w] = counts.get(w, 0) + 1
        words = sorted(counts, key=counts.get, reverse=True)[:max_size - 3]
        self.index = {w: i + 3 for i, w in enumerate(words)}

    @staticmethod
    def split(text):
        return re.findall(r"[a-z_]+|\S", text.lower())

    def encode(self, text, max_len=32):
        ids = [CLS] + [self.index.get(w, UNK) for w in self.split(text)]
        return ids[:max_len]

    def __len__(self):
        return len(self.index) + 3


def collate(examples, vocab):
    encoded = [vocab.encode(text) for text, _ in examples]
    n = max(map(len, encoded))
    tokens = torch.full((len(encoded), n), PAD, dtype=torch.long)
    for i, ids in enumerate(encoded):
        tokens[i, :len(ids)] = torch.tensor(ids)
    return {
        "tokens": tokens,
        "keep": tokens != PAD,
        "label": torch.tensor([LABELS.index(lbl) for _, lbl in examples]),
    }
