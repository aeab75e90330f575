"""Clickstream next-event model: causal encoder stack with right-padded sessions.

Both masks are additive floats so that the layer never mixes mask kinds.
"""
import torch
from torch import nn
from torch.nn import functional as F


def additive_padding(event_ids, pad_id=0):
    return torch.zeros(event_ids.shape, device=event_ids.device).masked_fill(event_ids == pad_id, float("-inf"))


class ClickstreamModel(nn.Module):
    def __init__(self, n_events=50, dim=32, heads=4, layers=2):
        super().__init__()
        self.emb = nn.Embedding(n_events, dim, padding_idx=0)
        self.pos = nn.Embedding(128, dim)
        self.enc = nn.TransformerEncoder(nn.TransformerEncoderLayer(dim, heads, 64, 0.0, batch_first=True), layers)
        self.out = nn.Linear(dim, n_events)

    def forward(self, events):
        T = events.size(1)
        x = self.emb(events) + self.pos(torch.arange(T, device=events.device))
        causal = nn.Transformer.generate_square_subsequent_mask(T, device=events.device)
        x = self.enc(x, mask=causal, src_key_padding_mask=additive_padding(events), is_causal=True)
        return self.out(x)

    def loss(self, events):
        logits = self(events[:, :-1])
        return F.cross_entropy(logits.transpose(1, 2), events[:, 1:], ignore_index=0)


if __name__ == "__main__":
    torch.manual_seed(0)
    ev = torch.tensor([[3, 9, 9, 12, 4, 0, 0], [7, 1, 22, 30, 30, 2, 5]])
    model = ClickstreamModel()
    print("train loss", model.loss(ev).item())
    with torch.no_grad():
        print("eval loss ", model.eval().loss(ev).item())
