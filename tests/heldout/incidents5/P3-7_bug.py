"""Event-sequence encoder (sequence-first layout) configured from a dataclass."""
from dataclasses import dataclass

import torch
import torch.nn as nn


@dataclass
class EncoderArgs:
    n_event_types: int = 40
    d_model: int = 32
    nhead: int = 4
    num_layers: int = 2
    dropout: float = 0.0
    pad_id: int = 0


class EventEncoder(nn.Module):
    def __init__(self, args: EncoderArgs):
        super().__init__()
        self.args = args
        self.embed = nn.Embedding(args.n_event_types, args.d_model, padding_idx=args.pad_id)
        layer = nn.TransformerEncoderLayer(args.d_model, args.nhead, 4 * args.d_model, args.dropout)
        self.encoder = nn.TransformerEncoder(layer, args.num_layers, enable_nested_tensor=False)
        self.head = nn.Linear(args.d_model, 1)

    def forward(self, events):
        # events: (S, N) event ids, sequence-first like the rest of the pipeline
        x = self.embed(events)
        padding_mask = events == self.args.pad_id  # BUG
        h = self.encoder(x, src_key_padding_mask=padding_mask)  # BUG
        keep = (~padding_mask).unsqueeze(-1).float()
        return self.head((h * keep).sum(0) / keep.sum(0)).squeeze(-1)


def collate(seqs, args: EncoderArgs):
    S = max(len(s) for s in seqs)
    out = torch.full((S, len(seqs)), args.pad_id, dtype=torch.long)
    for n, s in enumerate(seqs):
        out[: len(s), n] = torch.tensor(s)
    return out


def fit(model, batches, epochs=1, lr=1e-3):
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    for epoch in range(epochs):
        for events, target in batches:
            loss = nn.functional.mse_loss(model(events), target)
            opt.zero_grad()
            loss.backward()
            opt.step()
    return loss.item()


if __name__ == "__main__":
    torch.manual_seed(0)
    args = EncoderArgs()
    model = EventEncoder(args)
    batches = [(collate([[3, 4, 5], [6, 7], [8, 9, 10, 11]], args), torch.randn(3))]
    print("loss:", fit(model, batches))
