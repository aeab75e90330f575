"""Peptide retention-time regression from residue sequences."""
import torch
import torch.nn as nn

AA = "_ACDEFGHIKLMNPQRSTVWY"


class RTRegressor(nn.Module):
    def __init__(self, d=32, heads=4):
        super().__init__()
        self.emb = nn.Embedding(len(AA), d, padding_idx=0)
        self.attn = nn.MultiheadAttention(d, heads)
        self.out = nn.Linear(d, 1)

    def forward(self, residues, keep_mask):
        x = self.emb(residues).transpose(0, 1)
        h, _ = self.attn(x, x, x, key_padding_mask=keep_mask.logical_not())
        h = h.transpose(0, 1)
        w = keep_mask.unsqueeze(-1).to(h.dtype)
        return self.out((h * w).sum(1) / w.sum(1)).squeeze(-1)


def encode(peptides):
    width = max(map(len, peptides))
    return torch.tensor([[AA.index(a) for a in p] + [0] * (width - len(p)) for p in peptides])


if __name__ == "__main__":
    torch.manual_seed(0)
    residues = encode(["LGGNEQVTR", "AGGSSEPVTGLADK", "VEATFGVDESNAK"])
    rt = RTRegressor().forward(residues, keep_mask=residues != 0)
    print("rt", [round(v, 4) for v in rt.tolist()])
