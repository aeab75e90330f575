# EXPECT: ok
"""Chord-to-melody model: TransformerEncoder over chords, TransformerDecoder over melody notes."""
import torch
import torch.nn as nn
import torch.nn.functional as F

N_CHORDS, N_NOTES, PAD = 12, 20, 0
LEN = 6  # chord slots and melody slots per bar


class ChordToMelody(nn.Module):
    def __init__(self, d=32, heads=4, p=0.1):
        super().__init__()
        self.chord = nn.Embedding(N_CHORDS, d, padding_idx=PAD)
        self.note = nn.Embedding(N_NOTES, d, padding_idx=PAD)
        self.pos = nn.Embedding(LEN, d)
        self.encoder = nn.TransformerEncoder(
            nn.TransformerEncoderLayer(d, heads, 64, p, batch_first=True), 1, enable_nested_tensor=False)
        self.decoder = nn.TransformerDecoder(nn.TransformerDecoderLayer(d, heads, 64, p, batch_first=True), 1)
        self.out = nn.Linear(d, N_NOTES)
        self.register_buffer("causal", nn.Transformer.generate_square_subsequent_mask(LEN, dtype=torch.bool))

    def forward(self, chords, notes_in):
        pos = self.pos.weight
        chord_pad, note_pad = chords == PAD, notes_in == PAD
        memory = self.encoder(self.chord(chords) + pos, src_key_padding_mask=chord_pad)
        h = self.decoder(
            self.note(notes_in) + pos, memory,
            tgt_mask=self.causal,
            tgt_key_padding_mask=note_pad,
            memory_key_padding_mask=chord_pad,
        )
        return self.out(h)


def run():
    torch.manual_seed(0)
    model = ChordToMelody()
    opt = torch.optim.Adam(model.parameters(), lr=5e-3)
    chords = torch.randint(1, N_CHORDS, (3, LEN))
    chords[0, 4:] = PAD
    notes = torch.randint(1, N_NOTES, (3, LEN + 1))
    notes[2, 5:] = PAD
    notes_in, notes_out = notes[:, :-1], notes[:, 1:]

    model.train()
    logits = model(chords, notes_in)
    loss = F.cross_entropy(logits.reshape(-1, N_NOTES), notes_out.reshape(-1), ignore_index=PAD)
    opt.zero_grad()
    loss.backward()
    opt.step()

    model.eval()
    with torch.no_grad():
        out = model(chords, notes_in)
    return [loss.detach(), out[notes_in != PAD]]
