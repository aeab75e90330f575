import torch
import torch.nn.functional as F

from .model import ProsodyPlanner
from .text import PAD, TextBatcher

DATA = [
    ("it was a bright cold day in april", ["none", "none", "accent_H", "none", "accent_L", "none", "none", "pause_long"]),
    ("and the clocks were striking thirteen", ["breath", "none", "accent_H", "none", "rate_down", "accent_L", "pause_long"]),
]


def fit(steps=3):
    tb = TextBatcher()
    words, wpad = tb.words([s for s, _ in DATA])
    marks, mpad = tb.prosody([m for _, m in DATA])
    model = ProsodyPlanner()
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3)
    for _ in range(steps):
        logits = model(words, wpad, marks[:, :-1], mpad[:, :-1])
        loss = F.cross_entropy(logits.flatten(0, 1), marks[:, 1:].flatten(), ignore_index=PAD)
        opt.zero_grad()
        loss.backward()
        opt.step()
    return loss.item()


if __name__ == "__main__":
    print(fit())
