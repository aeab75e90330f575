import math

import torch
import torch.nn as nn


class LineToLineGenerator(nn.Module):
    """Generates the next line of a poem from the previous line (seq-first tensors)."""

    def __init__(self, vocab_size: int, d_model: int = 64, nhead: int = 4, layers: int = 2, max_len: int = 64):
        super().__init__()
        self.embed = nn.Embedding(vocab_size, d_model)
        self.pos = nn.Embedding(max_len, d_model)
        self.transformer = nn.Transformer(d_model, nhead, layers, layers, dim_feedforward=128, dropout=0.1)
        self.out = nn.Linear(d_model, vocab_size)
        self.scale = math.sqrt(d_model)

    def embed_seq(self, tokens):
        positions = torch.arange(tokens.size(0), device=tokens.device)[:, None]
        return self.embed(tokens) * self.scale + self.pos(positions)

    def forward(self, src, tgt_in):
        out = self.transformer(self.embed_seq(src), self.embed_seq(tgt_in))  # BUG
        return self.out(out)


if __name__ == "__main__":
    torch.manual_seed(0)
    V, BOS = 50, 1
    model = LineToLineGenerator(V)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    src = torch.randint(2, V, (8, 4))  # (S, B): fixed-length lines, no padding
    tgt = torch.randint(2, V, (8, 4))
    tgt_in = torch.cat([torch.full((1, 4), BOS), tgt[:-1]], dim=0)
    for step in range(5):
        logits = model(src, tgt_in)
        loss = nn.functional.cross_entropy(logits.reshape(-1, V), tgt.reshape(-1))
        opt.zero_grad()
        loss.backward()
        opt.step()
    print("final training loss:", round(loss.item(), 3))
