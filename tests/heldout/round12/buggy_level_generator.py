"""Procedural platformer levels: a decoder-only model over tile columns.

A level is a left-to-right sequence of column ids (each id = one of the
distinct 14-tile columns seen in the corpus).  Sampling happens inside a
context manager that puts the model in inference mode.
"""
import contextlib

import torch
import torch.nn.functional as F
from torch import nn

N_COLUMNS, START = 96, 0


class ColumnLM(nn.Module):
    def __init__(self, dim=48, heads=4, depth=3, max_len=256):
        super().__init__()
        self.emb = nn.Embedding(N_COLUMNS, dim)
        self.pos = nn.Embedding(max_len, dim)
        layer = nn.TransformerEncoderLayer(dim, heads, 4 * dim, dropout=0.1, batch_first=True)
        self.body = nn.TransformerEncoder(layer, depth)
        self.head = nn.Linear(dim, N_COLUMNS)

    def embed(self, cols):
        return self.emb(cols) + self.pos(torch.arange(cols.size(1), device=cols.device))

    def forward(self, cols):
        t = cols.size(1)
        causal = nn.Transformer.generate_square_subsequent_mask(t, device=cols.device)
        return self.head(self.body(self.embed(cols), mask=causal, is_causal=True))

    def next_column_logits(self, cols):
        # inference: the causal structure is given by the flag, no need to rebuild the mask each step
        h = self.body(self.embed(cols), is_causal=True)  # expect: ML402
        return self.head(h[:, -1])


@contextlib.contextmanager
def sampling(model):
    was_training = model.training
    model.eval()
    try:
        with torch.inference_mode():
            yield model
    finally:
        model.train(was_training)


def generate_level(model, width=12, temperature=0.9, seed=0):
    g = torch.Generator().manual_seed(seed)
    cols = torch.tensor([[START]])
    with sampling(model):
        for _ in range(width):
            probs = F.softmax(model.next_column_logits(cols) / temperature, dim=-1)
            cols = torch.cat([cols, torch.multinomial(probs, 1, generator=g)], dim=1)
    return cols[0, 1:].tolist()


if __name__ == "__main__":
    torch.manual_seed(0)
    levels = torch.randint(1, N_COLUMNS, (4, 33))
    levels[:, 0] = START
    model = ColumnLM()
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3)
    logits = model(levels[:, :-1])
    loss = F.cross_entropy(logits.flatten(0, 1), levels[:, 1:].flatten())
    opt.zero_grad()
    loss.backward()
    opt.step()
    print("train loss", round(loss.item(), 4))
    print("level:", generate_level(model))
