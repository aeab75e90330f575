import torch
from torch import nn
from torch.nn import functional as F

from . import blocks  # noqa: F401  (registers the blocks)
from .registry import make_block

NUC = {"<pad>": 0, "<bos>": 1, "A": 2, "C": 3, "G": 4, "T": 5, "N": 6}

DEFAULT_CONFIG = {
    "vocab": len(NUC),
    "dim": 48,
    "layers": [{"type": "mha_prenorm", "heads": 4}, {"type": "mha_prenorm", "heads": 4}],
}


def tokenize(seqs):
    rows = [[NUC["<bos>"]] + [NUC.get(c, NUC["N"]) for c in s] for s in seqs]
    L = max(map(len, rows))
    return torch.tensor([r + [0] * (L - len(r)) for r in rows])


class GenomicLM(nn.Module):
    def __init__(self, vocab, dim, layers):
        super().__init__()
        self.embed = nn.Embedding(vocab, dim, padding_idx=0)
        self.rope_free_pos = nn.Embedding(1024, dim)
        self.blocks = nn.ModuleList(
            make_block(spec["type"], dim=dim, **{k: v for k, v in spec.items() if k != "type"}) for spec in layers
        )
        self.head = nn.Linear(dim, vocab)

    def forward(self, ids):
        pad = ids == 0
        h = self.embed(ids) + self.rope_free_pos(torch.arange(ids.size(1), device=ids.device))
        for blk in self.blocks:
            h = blk(h, pad_mask=pad)
        return self.head(h)

    def next_token_loss(self, ids):
        logits = self(ids[:, :-1])
        return F.cross_entropy(logits.flatten(0, 1), ids[:, 1:].flatten(), ignore_index=0)

    @torch.no_grad()
    def sample(self, ids, n, temperature=1.0, generator=None):
        for _ in range(n):
            p = (self(ids)[:, -1] / temperature).softmax(-1)
            ids = torch.cat([ids, torch.multinomial(p, 1, generator=generator)], 1)
        return ids


def build_from_config(cfg=None):
    cfg = dict(DEFAULT_CONFIG, **(cfg or {}))
    return GenomicLM(cfg["vocab"], cfg["dim"], cfg["layers"])
