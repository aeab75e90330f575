"""Buggy: c27's SASRec-style encoder, asking nn.MultiheadAttention for its weights (the default):
that path's softmax gives the leading pad queries, which see no key, NaN; zeroing them by a product
keeps the NaN, and the next block's values spread it to every position. P7-2, P7-3."""
import torch
import torch.nn as nn

KIND = "buggy"


class HistoryEncoder(nn.Module):
    def __init__(self, items=30, E=16, H=2, blocks=2):
        super().__init__()
        self.item_emb = nn.Embedding(items, E, padding_idx=0)
        self.attn = nn.ModuleList([nn.MultiheadAttention(E, H) for _ in range(blocks)])
        self.norm = nn.ModuleList([nn.LayerNorm(E) for _ in range(blocks)])

    def forward(self, history):
        x = self.item_emb(history)
        pad = history == 0
        t = history.size(1)
        future = ~torch.tril(torch.ones(t, t, dtype=torch.bool))
        for attn, norm in zip(self.attn, self.norm):
            h = norm(x).transpose(0, 1)
            out, _ = attn(h, h, h, attn_mask=future, key_padding_mask=pad, )
            x = (x + out.transpose(0, 1)) * ~pad.unsqueeze(-1)
        return x[:, -1]


def _setup():
    torch.manual_seed(0)
    history = torch.tensor([[0, 0, 0, 4, 9, 2], [5, 1, 7, 3, 8, 6]])
    return HistoryEncoder().eval(), history


def run():
    m, history = _setup()
    with torch.no_grad():
        return (m(history),)


def verify():
    m, history = _setup()
    with torch.no_grad():
        a = m(history)
        alone = m(history[:1, 3:])
    return bool(torch.isnan(a[0]).all()) and bool(torch.isfinite(alone).all()), f"NaN: {bool(torch.isnan(a[0]).all())}"
