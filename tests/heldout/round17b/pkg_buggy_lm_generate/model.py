"""Byte-level decoder over syslog lines."""
import torch
from torch import nn


class LogLineModel(nn.Module):
    def __init__(self, vocab=258, dim=64, heads=4, layers=3, ctx=160):
        super().__init__()
        self.ctx = ctx
        self.byte = nn.Embedding(vocab, dim)
        self.pos = nn.Embedding(ctx, dim)
        self.layers = nn.ModuleList(
            nn.TransformerEncoderLayer(dim, heads, 3 * dim, dropout=0.1, batch_first=True)
            for _ in range(layers))
        self.out = nn.Linear(dim, vocab)

    def forward(self, ids, train_mode=True):
        n = ids.size(1)
        h = self.byte(ids) + self.pos(torch.arange(n, device=ids.device))
        mask = None
        if train_mode:
            mask = torch.triu(torch.full((n, n), float("-inf"), device=ids.device), diagonal=1)
        for layer in self.layers:
            h = layer(h, src_mask=mask)
        return self.out(h)


BOS, EOL = 256, 257


def encode(lines, ctx=160):
    rows = [[BOS] + list(line.encode()[:ctx - 2]) + [EOL] for line in lines]
    n = max(map(len, rows))
    return torch.tensor([r + [EOL] * (n - len(r)) for r in rows])


def decode(ids):
    return bytes(i for i in ids if i < 256).decode(errors="replace")


def lm_step(model, opt, batch):
    model.train()
    logits = model(batch[:, :-1])
    loss = nn.functional.cross_entropy(logits.transpose(1, 2), batch[:, 1:])
    opt.zero_grad()
    loss.backward()
    opt.step()
    return loss.item()
