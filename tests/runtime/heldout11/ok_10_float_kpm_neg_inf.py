# EXPECT: ok
"""Sensor-event encoder (bidirectional) on nn.TransformerEncoder with a float key padding mask
that holds 0 for real events and -inf for padding."""
import torch
import torch.nn as nn


def additive_padding_mask(lengths, max_len):
    idx = torch.arange(max_len, device=lengths.device)[None, :]
    mask = torch.zeros(lengths.size(0), max_len, device=lengths.device)
    return mask.masked_fill(idx >= lengths[:, None], float("-inf"))


class EventEncoder(nn.Module):
    def __init__(self, n_event_types=20, d=32, heads=4, layers=2, n_classes=3, p=0.1):
        super().__init__()
        self.type_emb = nn.Embedding(n_event_types, d)
        self.time_proj = nn.Linear(1, d)
        layer = nn.TransformerEncoderLayer(d, heads, 2 * d, p, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, layers)
        self.cls = nn.Linear(d, n_classes)

    def forward(self, event_types, deltas, lengths):
        x = self.type_emb(event_types) + self.time_proj(deltas.unsqueeze(-1))
        kpm = additive_padding_mask(lengths, event_types.size(1))
        h = self.encoder(x, src_key_padding_mask=kpm)
        valid = torch.isfinite(kpm).unsqueeze(-1).float()
        return self.cls((h * valid).sum(1) / valid.sum(1))


def run():
    torch.manual_seed(0)
    model = EventEncoder()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    lengths = torch.tensor([9, 4, 7, 6])
    types = torch.randint(1, 20, (4, 9)) * (torch.arange(9)[None] < lengths[:, None])
    deltas = torch.rand(4, 9)
    y = torch.tensor([2, 0, 1, 1])
    model.train()
    loss = nn.functional.cross_entropy(model(types, deltas, lengths), y)
    opt.zero_grad()
    loss.backward()
    opt.step()
    model.eval()
    with torch.no_grad():
        ev = model(types, deltas, lengths)
    return [loss.detach(), ev]
