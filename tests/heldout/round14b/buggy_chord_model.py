"""Chord-progression language model (Roman-numeral tokens), trained on a toy corpus."""
import random

import torch
import torch.nn as nn
import torch.nn.functional as F

CHORDS = ["<pad>", "<bos>", "I", "ii", "iii", "IV", "V", "vi", "vii°", "V7", "IVmaj7", "bVII"]
PROGRESSIONS = [
    "I V vi IV", "ii V7 I", "I vi IV V", "vi IV I V", "I IV V7 I", "I bVII IV I", "IVmaj7 V7 iii vi",
]


class ChordLM(nn.Module):
    def __init__(self, n_chords=len(CHORDS), dim=48, heads=4, depth=2, context=16, p_drop=0.1):
        super().__init__()
        self.context = context
        self.chord_emb = nn.Embedding(n_chords, dim, padding_idx=0)
        self.pos_emb = nn.Parameter(torch.zeros(context, dim))
        self.attn = nn.ModuleList(nn.MultiheadAttention(dim, heads, dropout=p_drop, batch_first=True) for _ in range(depth))
        self.ff = nn.ModuleList(nn.Sequential(nn.LayerNorm(dim), nn.Linear(dim, 2 * dim), nn.GELU(), nn.Linear(2 * dim, dim))
                                for _ in range(depth))
        self.pre_norm = nn.ModuleList(nn.LayerNorm(dim) for _ in range(depth))
        self.out = nn.Linear(dim, n_chords)

    def forward(self, chords):
        T = chords.size(1)
        x = self.chord_emb(chords) + self.pos_emb[:T]
        future = torch.triu(torch.ones(T, T, device=chords.device), diagonal=1)
        for norm, attn, ff in zip(self.pre_norm, self.attn, self.ff):
            h = norm(x)
            x = x + attn(h, h, h, attn_mask=future, need_weights=False)[0]  # expect: ML202
            x = x + ff(x)
        return self.out(x)


def encode(prog):
    return [1] + [CHORDS.index(c) for c in prog.split()]


def make_batch(progs):
    seqs = [encode(p) for p in progs]
    width = max(map(len, seqs))
    ids = torch.zeros(len(seqs), width, dtype=torch.long)
    for i, s in enumerate(seqs):
        ids[i, : len(s)] = torch.tensor(s)
    return ids


def fit(steps=30, seed=0):
    random.seed(seed)
    torch.manual_seed(seed)
    m = ChordLM()
    opt = torch.optim.Adam(m.parameters(), lr=3e-3)
    for _ in range(steps):
        ids = make_batch(random.sample(PROGRESSIONS, 4))
        logits = m(ids[:, :-1])
        loss = F.cross_entropy(logits.transpose(1, 2), ids[:, 1:], ignore_index=0)
        opt.zero_grad()
        loss.backward()
        opt.step()
    return m, loss.item()


def continue_progression(m, prefix, n=4):
    m.eval()
    ids = torch.tensor([encode(prefix)])
    with torch.no_grad():
        for _ in range(n):
            nxt = m(ids)[0, -1, 2:].argmax() + 2
            ids = torch.cat([ids, nxt.view(1, 1)], dim=1)
    return " ".join(CHORDS[i] for i in ids[0, 1:].tolist())


if __name__ == "__main__":
    model, final_loss = fit()
    print("final loss", round(final_loss, 3))
    print(continue_progression(model, "I V"))
