"""Triage model over veterinary visit notes, tokenised into a clinic-specific vocabulary."""
import re

import torch
import torch.nn as nn

SPECIALS = ("[UNK]", "[PAD]", "[CLS]", "[SEP]")


class NoteTokenizer:
    def __init__(self, corpus, max_words=5000):
        words = {}
        for note in corpus:
            for w in re.findall(r"[a-z0-9]+", note.lower()):
                words[w] = words.get(w, 0) + 1
        common = sorted(words, key=lambda w: -words[w])[:max_words]
        self.vocab = {tok: i for i, tok in enumerate(list(SPECIALS) + common)}
        self.pad_id = self.vocab["[PAD]"]

    def __call__(self, notes, max_len=32):
        rows = []
        for note in notes:
            ids = [self.vocab["[CLS]"]] + [self.vocab.get(w, self.vocab["[UNK]"]) for w in re.findall(r"[a-z0-9]+", note.lower())]
            ids = ids[:max_len]
            rows.append(ids + [self.pad_id] * (max_len - len(ids)))
        return torch.tensor(rows)


class TriageModel(nn.Module):
    URGENCY = ("routine", "soon", "urgent", "emergency")

    def __init__(self, vocab_size, pad_id, d=64, heads=4, depth=2):
        super().__init__()
        self.pad_id = pad_id
        self.emb = nn.Embedding(vocab_size, d, padding_idx=pad_id)
        layer = nn.TransformerEncoderLayer(d, heads, 2 * d, dropout=0.1, batch_first=True)
        self.enc = nn.TransformerEncoder(layer, depth, enable_nested_tensor=False)
        self.out = nn.Linear(d, len(self.URGENCY))

    def forward(self, ids):
        h = self.enc(self.emb(ids), src_key_padding_mask=ids.eq(self.pad_id))
        return self.out(h[:, 0])


if __name__ == "__main__":
    notes = ["Labrador, vomiting since yesterday, lethargic", "Cat annual vaccination, no concerns"]
    tok = NoteTokenizer(notes)
    model = TriageModel(len(tok.vocab), tok.pad_id).eval()
    with torch.no_grad():
        print(model(tok(notes, max_len=12)).softmax(-1))
