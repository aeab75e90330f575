import torch
import torch.nn.functional as F

from .model import LyricToMelody
from .tokenize import PAD, SyllableTokenizer

SONGS = [
    ("twinkle twinkle little star", ["60:q", "60:q", "67:q", "67:q", "69:q", "69:q", "67:h"]),
    ("happy birthday to you", ["60:8th", "60:8th", "62:q", "60:q", "65:q", "64:h"]),
]


def train(steps=3):
    tok = SyllableTokenizer()
    syl, syl_pad = tok.encode_lyrics([s for s, _ in SONGS])
    notes, note_pad = tok.encode_notes([m for _, m in SONGS])
    model = LyricToMelody()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    for _ in range(steps):
        logits = model(syl, syl_pad, notes[:, :-1], note_pad[:, :-1])
        loss = F.cross_entropy(logits.transpose(1, 2), notes[:, 1:], ignore_index=PAD)
        opt.zero_grad()
        loss.backward()
        opt.step()
    return loss.item()


if __name__ == "__main__":
    print(train())
