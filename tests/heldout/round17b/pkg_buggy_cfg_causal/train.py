"""Train on progressions and sample continuations."""
import torch
import torch.nn.functional as F

from .config import ChordConfig, chord_id
from .model import ChordLM

EXPERIMENT = '{"layers": 2, "dim": 64, "dropout": 0.0}'

SONGS = [
    ["C", "G", "A:min", "F", "C", "G", "F", "C"],
    ["A:min7", "D:7", "G:maj7", "C:maj7", "F#:dim", "B:7", "E:min", "E:min"],
    ["D", "A", "B:min", "G", "D", "A", "G", "A"],
]


def encode_songs(songs):
    return torch.tensor([[chord_id(c) for c in s] for s in songs])


def train(steps=20):
    cfg = ChordConfig.from_json(EXPERIMENT)
    model = ChordLM(cfg)
    data = encode_songs(SONGS)
    opt = torch.optim.AdamW(model.parameters(), lr=3e-3)
    for _ in range(steps):
        logits = model(data[:, :-1])
        loss = F.cross_entropy(logits.reshape(-1, cfg.vocab), data[:, 1:].reshape(-1))
        opt.zero_grad()
        loss.backward()
        opt.step()
    return model, loss.item()


@torch.no_grad()
def continue_progression(model, prefix, bars=4):
    seq = encode_songs([prefix])
    for _ in range(bars):
        nxt = model(seq)[:, -1].softmax(-1).multinomial(1)
        seq = torch.cat([seq, nxt], dim=1)
    return seq


if __name__ == "__main__":
    torch.manual_seed(0)
    model, final = train()
    print(final, continue_progression(model, ["C", "A:min"]))
