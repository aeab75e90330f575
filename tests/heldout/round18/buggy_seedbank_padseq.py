"""Viability classifier for seed-bank germination trials.

Every accession is re-tested every few years; each test is a record
(years in storage, germination %, moisture content, storage temp, test protocol).
The model reads the last ``N_TESTS`` tests of an accession and flags those that
should be regenerated before viability drops.
"""
import torch
import torch.nn as nn
from torch.nn.utils.rnn import pad_sequence
from torch.utils.data import DataLoader, Dataset

N_TESTS = 6


class TrialHistory(Dataset):
    def __init__(self, n=16, seed=0):
        g = torch.Generator().manual_seed(seed)
        self.items = [(torch.randn(N_TESTS, 5, generator=g), int(torch.randint(0, 2, (1,), generator=g)))
                      for _ in range(n)]

    def __len__(self):
        return len(self.items)

    def __getitem__(self, i):
        return self.items[i]


def collate_trials(batch):
    seqs, labels = zip(*batch)
    return pad_sequence(seqs, padding_value=0.0), torch.tensor(labels)


class ViabilityModel(nn.Module):
    def __init__(self, d=32, heads=4, layers=2):
        super().__init__()
        self.inp = nn.Linear(5, d)
        self.test_pos = nn.Parameter(torch.zeros(N_TESTS, 1, d))
        self.layers = nn.ModuleList(
            nn.TransformerEncoderLayer(d, heads, 2 * d, dropout=0.0, batch_first=True) for _ in range(layers)
        )
        self.cls = nn.Linear(d, 1)

    def forward(self, tests):
        h = self.inp(tests) + self.test_pos
        for layer in self.layers:
            h = layer(h)  # BUG: collate_trials yields (tests, accessions, feat) but the layers are batch_first
        return self.cls(h[-1]).squeeze(-1)


if __name__ == "__main__":
    torch.manual_seed(0)
    loader = DataLoader(TrialHistory(), batch_size=4, collate_fn=collate_trials)
    model = ViabilityModel()
    opt = torch.optim.Adam(model.parameters(), 1e-3)
    for tests, y in loader:
        loss = nn.functional.binary_cross_entropy_with_logits(model(tests), y.float())
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(float(loss))
