"""Melody harmonisation in reverse: generate a melody line over a chord chart.

Both sides are on a 16th-note grid of 4 bars (64 steps), so chord charts and
melodies share one padded length; short songs are padded at the end.
"""
import torch
import torch.nn.functional as F
from torch import nn

STEPS = 64
CHORDS = ["<pad>", "C", "Dm", "Em", "F", "G", "Am", "Bdim", "G7", "Cmaj7"]
PITCHES = 1 + 1 + 48          # pad, rest/start, MIDI 48..95


class ChordEncoder(nn.Module):
    def __init__(self, dim, heads, layers):
        super().__init__()
        self.emb = nn.Embedding(len(CHORDS), dim, padding_idx=0)
        self.beat = nn.Embedding(16, dim)                  # position within the bar
        layer = nn.TransformerEncoderLayer(dim, heads, 2 * dim, 0.1, batch_first=True)
        self.enc = nn.TransformerEncoder(layer, layers, enable_nested_tensor=False)

    def forward(self, chords, chord_pad):
        x = self.emb(chords) + self.beat(torch.arange(chords.size(1)) % 16)
        return self.enc(x, src_key_padding_mask=chord_pad)


class MelodyDecoder(nn.Module):
    def __init__(self, dim, heads, layers):
        super().__init__()
        self.emb = nn.Embedding(PITCHES, dim, padding_idx=0)
        self.beat = nn.Embedding(16, dim)
        layer = nn.TransformerDecoderLayer(dim, heads, 2 * dim, 0.1, batch_first=True)
        self.dec = nn.TransformerDecoder(layer, layers)
        self.out = nn.Linear(dim, PITCHES)

    def forward(self, notes, memory, chord_pad):
        t = notes.size(1)
        causal = torch.triu(torch.ones(t, t, dtype=torch.bool), diagonal=1)
        x = self.emb(notes) + self.beat(torch.arange(t) % 16)
        h = self.dec(x, memory, causal, None, chord_pad)  # expect: ML501
        return self.out(h)


class Harmoniser(nn.Module):
    def __init__(self, dim=32, heads=4, layers=2):
        super().__init__()
        self.encoder = ChordEncoder(dim, heads, layers)
        self.decoder = MelodyDecoder(dim, heads, layers)

    def forward(self, chords, notes_in):
        chord_pad = chords == 0
        memory = self.encoder(chords, chord_pad)
        return self.decoder(notes_in, memory, chord_pad)


if __name__ == "__main__":
    torch.manual_seed(0)
    lengths = torch.tensor([64, 40, 24])
    chords = torch.randint(1, len(CHORDS), (3, STEPS))
    melody = torch.randint(2, PITCHES, (3, STEPS))
    for i, n in enumerate(lengths.tolist()):
        chords[i, n:] = 0
        melody[i, n:] = 0
    notes_in = torch.cat([torch.ones(3, 1, dtype=torch.long), melody[:, :-1]], dim=1)   # 1 = start
    model = Harmoniser()
    logits = model(chords, notes_in)
    loss = F.cross_entropy(logits.flatten(0, 1), melody.flatten(), ignore_index=0)
    loss.backward()
    print("melody loss", round(loss.item(), 4))
