"""Email subject-line autocomplete with a key/value cache.

Prompts are left-padded.  Every step builds one explicit boolean mask
(True = attend) aligned to the bottom-right corner of the (queries, keys)
grid, combined with key padding; `is_causal` is never used together with it.
Padding query rows may see themselves so that no row is empty.
"""
from typing import Iterator, List

import torch
import torch.nn.functional as F
from torch import nn

VOCAB = ["<pad>", "<bos>", "Re:", "Fwd:", "Meeting", "notes", "for", "Q3", "budget", "review", "invoice",
         "#4411", "overdue", "lunch", "on", "Friday", "?", "update", "project", "timeline"]
PAD = 0


def step_mask(key_keep: torch.Tensor, n_queries: int) -> torch.Tensor:
    """key_keep (N, S) -> (N, 1, L, S) with causal alignment to the last L keys."""
    s = key_keep.size(1)
    causal = torch.ones(n_queries, s, dtype=torch.bool).tril(diagonal=s - n_queries)
    keep = causal[None] & key_keep[:, None, :]
    own = torch.zeros(n_queries, s, dtype=torch.bool)
    own[torch.arange(n_queries), torch.arange(s - n_queries, s)] = True      # each query's own key
    return (keep | own[None]).unsqueeze(1)


class CachedLayer(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.h = heads
        self.qkv, self.o = nn.Linear(dim, 3 * dim), nn.Linear(dim, dim)
        self.mlp = nn.Sequential(nn.LayerNorm(dim), nn.Linear(dim, 2 * dim), nn.GELU(), nn.Linear(2 * dim, dim))

    def forward(self, x, mask, past=None):
        n, t, d = x.shape
        q, k, v = self.qkv(F.layer_norm(x, (d,))).view(n, t, 3, self.h, -1).permute(2, 0, 3, 1, 4)
        if past is not None:
            k, v = torch.cat([past[0], k], 2), torch.cat([past[1], v], 2)
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=mask)
        x = x + self.o(y.transpose(1, 2).reshape(n, t, d))
        return x + self.mlp(x), (k, v)


class SubjectLM(nn.Module):
    def __init__(self, dim=32, heads=4, depth=2):
        super().__init__()
        self.tok, self.pos = nn.Embedding(len(VOCAB), dim), nn.Embedding(64, dim)
        self.layers = nn.ModuleList(CachedLayer(dim, heads) for _ in range(depth))
        self.lm = nn.Linear(dim, len(VOCAB))

    def forward(self, ids, positions, key_keep, cache=None):
        x = self.tok(ids) + self.pos(positions)
        mask = step_mask(key_keep, ids.size(1))
        new = []
        for i, layer in enumerate(self.layers):
            x, kv = layer(x, mask, None if cache is None else cache[i])
            new.append(kv)
        return self.lm(x), new


@torch.no_grad()
def suggest(model, prompts: List[List[str]], steps=3) -> Iterator[List[str]]:
    width = max(map(len, prompts)) + 1
    ids = torch.zeros(len(prompts), width, dtype=torch.long)
    for r, p in enumerate(prompts):
        ids[r, width - len(p) - 1:] = torch.tensor([1] + [VOCAB.index(w) for w in p])
    key_keep = ids != PAD
    positions = (key_keep.cumsum(1) - 1).clamp(min=0)
    logits, cache = model(ids, positions, key_keep)
    for _ in range(steps):
        nxt = logits[:, -1:].argmax(-1)
        yield [VOCAB[i] for i in nxt[:, 0].tolist()]
        key_keep = torch.cat([key_keep, torch.ones_like(nxt, dtype=torch.bool)], 1)
        positions = positions[:, -1:] + 1
        logits, cache = model(nxt, positions, key_keep, cache)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = SubjectLM().eval()
    for i, words in enumerate(suggest(model, [["Re:", "Meeting"], ["Fwd:", "invoice", "#4411"]])):
        print("step", i, words)
