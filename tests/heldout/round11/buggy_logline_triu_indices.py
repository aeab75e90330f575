"""Next-template model over parsed system-log template ids (anomaly = low likelihood)."""
import math

import torch
import torch.nn as nn


class LogAttention(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(dim, 3 * dim)
        self.proj = nn.Linear(dim, dim)

    def forward(self, x):
        B, T, D = x.shape
        q, k, v = self.qkv(x).reshape(B, T, 3, self.heads, D // self.heads).permute(2, 0, 3, 1, 4)
        att = q @ k.transpose(-2, -1) / math.sqrt(D // self.heads)
        rows, cols = torch.triu_indices(T, T, offset=0, device=x.device)
        att[..., rows, cols] = float("-inf")  # expect: ML404
        att = att.softmax(-1)
        return self.proj((att @ v).transpose(1, 2).reshape(B, T, D))


class LogModel(nn.Module):
    def __init__(self, n_templates=300, dim=64, heads=4, depth=2, window=32):
        super().__init__()
        self.emb = nn.Embedding(n_templates, dim)
        self.pos = nn.Parameter(torch.zeros(window, dim))
        self.blocks = nn.ModuleList(LogAttention(dim, heads) for _ in range(depth))
        self.norm = nn.LayerNorm(dim)
        self.out = nn.Linear(dim, n_templates)

    def forward(self, ids):
        x = self.emb(ids) + self.pos[: ids.size(1)]
        for blk in self.blocks:
            x = x + blk(x)
        return self.out(self.norm(x))

    @torch.no_grad()
    def anomaly_scores(self, ids):
        logp = self(ids[:, :-1]).log_softmax(-1)
        return -logp.gather(-1, ids[:, 1:, None]).squeeze(-1).mean(-1)


if __name__ == "__main__":
    model = LogModel()
    windows = torch.randint(0, 300, (5, 32))
    print(model.anomaly_scores(windows))
