"""Metrical scansion tagger: labels each syllable of a verse line as stressed
(/) or unstressed (x), and the line with its metre (iambic pentameter, ...).

Syllables come from a rule-based syllabifier; the syllable vocabulary reserves
the first ids for specials in the order used by the upstream pipeline.
"""
from collections import Counter

import torch
from torch import nn


class SyllableVocab:
    specials = ("<unk>", "<pad>", "<bol>", "<eol>")

    def __init__(self, lines, min_freq=1):
        counts = Counter(s for line in lines for s in line)
        self.itos = list(self.specials) + sorted(s for s, c in counts.items() if c >= min_freq)
        self.stoi = {s: i for i, s in enumerate(self.itos)}
        self.unk_index = self.stoi["<unk>"]
        self.pad_index = self.stoi["<pad>"]

    def __len__(self):
        return len(self.itos)

    def encode(self, line):
        return [self.stoi["<bol>"]] + [self.stoi.get(s, self.unk_index) for s in line] + [self.stoi["<eol>"]]

    def batch(self, lines):
        enc = [self.encode(l) for l in lines]
        L = max(map(len, enc))
        return torch.tensor([e + [self.pad_index] * (L - len(e)) for e in enc])


class ScansionTagger(nn.Module):
    METRES = ("iambic_pentameter", "trochaic_tetrameter", "anapestic_trimeter", "dactylic_hexameter", "free")

    def __init__(self, vocab_size, d=48, heads=4, layers=2):
        super().__init__()
        self.emb = nn.Embedding(vocab_size, d, padding_idx=1)
        self.pos = nn.Embedding(64, d)
        enc_layer = nn.TransformerEncoderLayer(d, heads, 2 * d, dropout=0.1, batch_first=True)
        self.encoder = nn.TransformerEncoder(enc_layer, layers, enable_nested_tensor=False)
        self.stress = nn.Linear(d, 2)
        self.metre = nn.Linear(d, len(self.METRES))

    def forward(self, syllables):
        pos = torch.arange(syllables.size(1), device=syllables.device)
        h = self.emb(syllables) + self.pos(pos)
        pad = syllables.eq(0)  # BUG: padding mask compares against id 0 (<unk>), the pad id is 1
        h = self.encoder(h, src_key_padding_mask=pad)
        return self.stress(h), self.metre(h[:, 0])


if __name__ == "__main__":
    torch.manual_seed(0)
    lines = [
        ["shall", "i", "com", "pare", "thee", "to", "a", "sum", "mer's", "day"],
        ["tell", "me", "not", "in", "mourn", "ful", "num", "bers"],
        ["the", "as", "syr", "ian", "came", "down"],
    ]
    vocab = SyllableVocab(lines)
    batch = vocab.batch(lines)
    model = ScansionTagger(len(vocab))
    stress, metre = model(batch)
    print(stress.shape, metre.argmax(-1))
