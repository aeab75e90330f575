"""Single-sequence protein trunk with pair-biased attention (AlphaFold/ESMFold flavour,
drastically reduced). A pair representation built from residue embeddings and relative
positions is projected to one attention bias per head."""
from __future__ import annotations

from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import nn

AMINO = "ACDEFGHIKLMNPQRSTVWY"


@dataclass
class TrunkConfig:
    seq_dim: int = 64
    pair_dim: int = 16
    heads: int = 4
    blocks: int = 2
    max_rel: int = 32


class RelativePosition(nn.Module):
    def __init__(self, pair_dim: int, max_rel: int):
        super().__init__()
        self.max_rel = max_rel
        self.emb = nn.Embedding(2 * max_rel + 1, pair_dim)

    def forward(self, n: int, device) -> torch.Tensor:
        idx = torch.arange(n, device=device)
        rel = (idx[None, :] - idx[:, None]).clamp(-self.max_rel, self.max_rel) + self.max_rel
        return self.emb(rel)


class PairBiasedSelfAttention(nn.Module):
    def __init__(self, cfg: TrunkConfig):
        super().__init__()
        self.heads = cfg.heads
        self.norm = nn.LayerNorm(cfg.seq_dim)
        self.pair_norm = nn.LayerNorm(cfg.pair_dim)
        self.to_bias = nn.Linear(cfg.pair_dim, cfg.heads, bias=False)
        self.mha = nn.MultiheadAttention(cfg.seq_dim, cfg.heads, batch_first=True)

    def forward(self, s: torch.Tensor, z: torch.Tensor, residue_mask: torch.Tensor) -> torch.Tensor:
        bias = torch.einsum("bijc,ch->bhij", self.pair_norm(z), self.to_bias.weight.T)
        bias = bias.masked_fill(~residue_mask[:, None, None, :], float("-inf"))
        x = self.norm(s)
        out, _ = self.mha(x, x, x, attn_mask=bias, need_weights=False)  # expect: ML301
        return s + out


class FoldingTrunk(nn.Module):
    def __init__(self, cfg: TrunkConfig = TrunkConfig()):
        super().__init__()
        self.embed = nn.Embedding(len(AMINO) + 1, cfg.seq_dim, padding_idx=0)
        self.relpos = RelativePosition(cfg.pair_dim, cfg.max_rel)
        self.outer = nn.Linear(cfg.seq_dim, 2 * cfg.pair_dim)
        self.attn = nn.ModuleList(PairBiasedSelfAttention(cfg) for _ in range(cfg.blocks))
        self.ffn = nn.ModuleList(nn.Sequential(nn.LayerNorm(cfg.seq_dim), nn.Linear(cfg.seq_dim, 2 * cfg.seq_dim),
                                               nn.ReLU(), nn.Linear(2 * cfg.seq_dim, cfg.seq_dim))
                                 for _ in range(cfg.blocks))
        self.distogram = nn.Linear(cfg.pair_dim, 64)

    def forward(self, aa: torch.Tensor) -> torch.Tensor:
        residue_mask = aa.ne(0)
        s = self.embed(aa)
        left, right = self.outer(s).chunk(2, dim=-1)
        z = left[:, :, None] + right[:, None, :] + self.relpos(aa.size(1), aa.device)
        for attn, ffn in zip(self.attn, self.ffn):
            s = attn(s, z, residue_mask)
            s = s + ffn(s)
        left, right = self.outer(s).chunk(2, dim=-1)
        return self.distogram(z + left[:, :, None] * right[:, None, :])


def encode(seqs):
    n = max(map(len, seqs))
    return torch.tensor([[AMINO.index(c) + 1 for c in s] + [0] * (n - len(s)) for s in seqs])


if __name__ == "__main__":
    torch.manual_seed(0)
    trunk = FoldingTrunk()
    aa = encode(["MKTAYIAKQRQISFVKSHFSRQ", "GSHMLEDPVDAFQ"])
    bins = torch.randint(0, 64, (2, aa.size(1), aa.size(1)))
    try:
        logits = trunk(aa)
        loss = F.cross_entropy(logits.permute(0, 3, 1, 2), bins)
        loss.backward()
        print("distogram loss", round(loss.item(), 4))
    except (AssertionError, RuntimeError) as err:
        print("trunk forward failed:", err)
