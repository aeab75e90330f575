"""Syllable-count and kigo (season word) tagger for haiku lines.

Tokens are morae/syllables from a rule-based splitter. The vocabulary follows
the upstream convention of putting <unk> first and <pad> second.
"""
from collections import Counter

import torch
from torch import nn

SEASONS = ("none", "spring", "summer", "autumn", "winter", "new_year")


class MoraVocab:
    specials = ("<unk>", "<pad>", "<bol>", "<eol>")

    def __init__(self, lines):
        counts = Counter(m for line in lines for m in line)
        self.itos = list(self.specials) + sorted(counts)
        self.stoi = {m: i for i, m in enumerate(self.itos)}
        self.unk_index = self.stoi["<unk>"]
        self.pad_index = self.stoi["<pad>"]

    def __len__(self):
        return len(self.itos)

    def batch(self, lines):
        enc = [[self.stoi["<bol>"]] + [self.stoi.get(m, self.unk_index) for m in l] + [self.stoi["<eol>"]] for l in lines]
        L = max(map(len, enc))
        return torch.tensor([e + [self.pad_index] * (L - len(e)) for e in enc])


class KigoTagger(nn.Module):
    def __init__(self, vocab: MoraVocab, d=48, heads=4, layers=2):
        super().__init__()
        self.pad_index = vocab.pad_index
        self.emb = nn.Embedding(len(vocab), d, padding_idx=vocab.pad_index)
        self.pos = nn.Embedding(32, d)
        layer = nn.TransformerEncoderLayer(d, heads, 2 * d, dropout=0.1, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, layers, enable_nested_tensor=False)
        self.kigo = nn.Linear(d, 2)            # per mora: inside a season word or not
        self.season = nn.Linear(d, len(SEASONS))

    def forward(self, morae):
        h = self.emb(morae) + self.pos(torch.arange(morae.size(1), device=morae.device))
        pad = morae.eq(self.pad_index)
        h = self.encoder(h, src_key_padding_mask=pad)
        return self.kigo(h), self.season(h[:, 0])


if __name__ == "__main__":
    torch.manual_seed(0)
    lines = [["fu", "ru", "i", "ke", "ya"], ["ka", "wa", "zu", "to", "bi", "ko", "mu"], ["mi", "zu", "no", "o", "to"]]
    vocab = MoraVocab(lines)
    model = KigoTagger(vocab)
    tags, season = model(vocab.batch(lines))
    print(tags.shape, [SEASONS[i] for i in season.argmax(-1)])
