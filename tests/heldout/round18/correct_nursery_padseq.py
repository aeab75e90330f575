"""Transplant-shock risk model for a plant nursery.

Each tray's history is a list of care records (days since sowing, moisture,
EC, leaf count, hardening-off hours). Trays have different numbers of records.
"""
import torch
import torch.nn as nn
from torch.nn.utils.rnn import pad_sequence
from torch.utils.data import DataLoader, Dataset


class TrayHistory(Dataset):
    def __init__(self, n=12, seed=0):
        g = torch.Generator().manual_seed(seed)
        self.items = []
        for _ in range(n):
            k = int(torch.randint(3, 10, (1,), generator=g))
            self.items.append((torch.randn(k, 5, generator=g), int(torch.randint(0, 2, (1,), generator=g))))

    def __len__(self):
        return len(self.items)

    def __getitem__(self, i):
        return self.items[i]


def collate_trays(batch):
    seqs, labels = zip(*batch)
    lengths = torch.tensor([s.size(0) for s in seqs])
    records = pad_sequence(seqs, batch_first=True)                        # (trays, records, 5)
    pad = torch.arange(records.size(1))[None, :] >= lengths[:, None]      # (trays, records)
    return records, pad, torch.tensor(labels)


class ShockRiskModel(nn.Module):
    def __init__(self, d=32, heads=4, layers=2):
        super().__init__()
        self.inp = nn.Linear(5, d)
        self.layers = nn.ModuleList(
            nn.TransformerEncoderLayer(d, heads, 2 * d, dropout=0.0, batch_first=True) for _ in range(layers))
        self.cls = nn.Linear(d, 1)

    def forward(self, records, pad):
        h = self.inp(records)
        for layer in self.layers:
            h = layer(h, src_key_padding_mask=pad)
        keep = (~pad).unsqueeze(-1).float()
        return self.cls((h * keep).sum(1) / keep.sum(1)).squeeze(-1)


if __name__ == "__main__":
    torch.manual_seed(0)
    loader = DataLoader(TrayHistory(), batch_size=4, collate_fn=collate_trays)
    model = ShockRiskModel()
    opt = torch.optim.Adam(model.parameters(), 1e-3)
    for records, pad, y in loader:
        loss = nn.functional.binary_cross_entropy_with_logits(model(records, pad), y.float())
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(float(loss))
