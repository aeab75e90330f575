"""Bonsai care assistant: predicts the next care task (water, wire,
prune, repot, defoliate, rest) from a tree's care journal.

Journal entries are tokenised into (task, days since previous entry, season,
species); journals have different lengths and are padded with the PAD task.
"""
import torch
import torch.nn as nn

TASKS = ["<pad>", "water", "wire", "unwire", "prune", "pinch", "repot", "defoliate", "fertilise", "rest"]
PAD = 0


class JournalEncoder(nn.Module):
    def __init__(self, n_species=60, d=32, heads=4):
        super().__init__()
        self.task = nn.Embedding(len(TASKS), d, padding_idx=PAD)
        self.season = nn.Embedding(4, d)
        self.species = nn.Embedding(n_species, d)
        self.gap = nn.Linear(1, d)
        self.attn = nn.MultiheadAttention(d, heads, dropout=0.1, batch_first=True)
        self.ff = nn.Sequential(nn.LayerNorm(d), nn.Linear(d, 2 * d), nn.ReLU(), nn.Linear(2 * d, d))
        self.norm = nn.LayerNorm(d)

    def forward(self, tasks, gaps, season, species):
        x = self.task(tasks) + self.season(season) + self.gap(torch.log1p(gaps).unsqueeze(-1))
        x = x + self.species(species)[:, None]
        ignore = (tasks == PAD).float()
        a, _ = self.attn(x, x, x, key_padding_mask=ignore)  # BUG: float 0/1 padding mask is added to the scores
        x = self.norm(x + a)
        return x + self.ff(x)


class NextTaskModel(nn.Module):
    def __init__(self, **kw):
        super().__init__()
        self.enc = JournalEncoder(**kw)
        self.out = nn.Linear(32, len(TASKS))

    def forward(self, tasks, gaps, season, species):
        h = self.enc(tasks, gaps, season, species)
        last = (tasks != PAD).sum(1) - 1
        return self.out(h[torch.arange(h.size(0)), last])


if __name__ == "__main__":
    torch.manual_seed(0)
    tasks = torch.tensor([[1, 1, 4, 1, 2, 1, 0, 0], [6, 1, 1, 9, 0, 0, 0, 0], [1, 4, 5, 1, 1, 8, 1, 3]])
    gaps = torch.rand(3, 8) * 20
    season = torch.randint(0, 4, (3, 8))
    species = torch.tensor([3, 17, 42])
    model = NextTaskModel()
    logits = model(tasks, gaps, season, species)
    print([TASKS[i] for i in logits.argmax(-1)])
