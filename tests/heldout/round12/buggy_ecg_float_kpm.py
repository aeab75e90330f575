"""Rhythm classification from a variable number of detected heartbeats.

Each record is a sequence of beat embeddings (RR interval + a learned
morphology code); records are padded to the longest one in the batch.
"""
from typing import List, TypedDict

import torch
import torch.nn.functional as F
from torch import nn

RHYTHMS = ["sinus", "afib", "aflutter", "svt", "vt", "paced"]


class BeatBatch(TypedDict):
    rr: torch.Tensor            # (N, B) seconds between beats
    morph: torch.Tensor         # (N, B) morphology cluster id
    beat_pad: torch.Tensor      # (N, B) 1.0 where there is no beat
    label: torch.Tensor         # (N,)


def collate(records: List[dict]) -> BeatBatch:
    n_beats = max(len(r["rr"]) for r in records)
    rr = torch.zeros(len(records), n_beats)
    morph = torch.zeros(len(records), n_beats, dtype=torch.long)
    beat_pad = torch.ones(len(records), n_beats)
    for i, r in enumerate(records):
        k = len(r["rr"])
        rr[i, :k] = torch.tensor(r["rr"])
        morph[i, :k] = torch.tensor(r["morph"])
        beat_pad[i, :k] = 0.0
    return BeatBatch(rr=rr, morph=morph, beat_pad=beat_pad,
                     label=torch.tensor([RHYTHMS.index(r["rhythm"]) for r in records]))


class RhythmNet(nn.Module):
    def __init__(self, n_morph=16, dim=32, heads=4, depth=3):
        super().__init__()
        self.morph = nn.Embedding(n_morph, dim)
        self.rr = nn.Linear(1, dim)
        self.layers = nn.ModuleList(
            nn.TransformerEncoderLayer(dim, heads, 2 * dim, dropout=0.1, batch_first=True) for _ in range(depth))
        self.head = nn.Linear(dim, len(RHYTHMS))

    def forward(self, batch: BeatBatch):
        x = self.morph(batch["morph"]) + self.rr(batch["rr"].unsqueeze(-1))
        for layer in self.layers:
            x = layer(x, src_key_padding_mask=batch["beat_pad"])  # expect: ML201
        keep = 1.0 - batch["beat_pad"]
        pooled = (x * keep.unsqueeze(-1)).sum(1) / keep.sum(1, keepdim=True)
        return self.head(pooled)


if __name__ == "__main__":
    torch.manual_seed(0)
    records = [
        {"rr": [0.81, 0.80, 0.82, 0.79, 0.81, 0.80], "morph": [1, 1, 1, 1, 1, 1], "rhythm": "sinus"},
        {"rr": [0.52, 0.91, 0.44, 0.73], "morph": [2, 2, 3, 2], "rhythm": "afib"},
        {"rr": [0.35, 0.36, 0.35], "morph": [5, 5, 5], "rhythm": "vt"},
    ]
    batch = collate(records)
    model = RhythmNet()
    loss = F.cross_entropy(model(batch), batch["label"])
    loss.backward()
    model.eval()
    with torch.no_grad():
        print("train loss", round(loss.item(), 4), "eval pred", [RHYTHMS[i] for i in model(batch).argmax(-1)])
