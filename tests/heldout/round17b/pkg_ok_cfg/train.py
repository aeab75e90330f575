"""Train, then sample a tune."""
import sys

import torch
import torch.nn.functional as F

from .config import load
from .model import TuneLM


def train(cfg, data, steps=10):
    model = TuneLM(cfg)
    opt = torch.optim.AdamW(model.parameters(), 3e-4)
    for _ in range(steps):
        logits = model(data[:, :-1])
        loss = F.cross_entropy(logits.reshape(-1, cfg.vocab), data[:, 1:].reshape(-1))
        opt.zero_grad()
        loss.backward()
        opt.step()
    return model, loss.item()


@torch.no_grad()
def sample(model, start, n=32):
    model.eval()
    seq = start
    for _ in range(n):
        nxt = model(seq[:, -model.cfg.context:])[:, -1].softmax(-1).multinomial(1)
        seq = torch.cat([seq, nxt], dim=1)
    return seq


if __name__ == "__main__":
    torch.manual_seed(0)
    cfg = load(sys.argv[1:] or ["layers=3", "dropout=0.0"])
    data = torch.randint(0, cfg.vocab, (16, 65))
    model, final = train(cfg, data)
    print(final, sample(model, data[:1, :4]).shape)
