"""Masked-residue pretraining for antibody sequences."""
import torch
import torch.nn as nn
import torch.nn.functional as F

AA = "ACDEFGHIKLMNPQRSTVWY"
PAD, MASK = len(AA), len(AA) + 1


class Encoder(nn.Module):
    def __init__(self, d=32, nhead=4, layers=2):
        super().__init__()
        self.emb = nn.Embedding(len(AA) + 2, d, padding_idx=PAD)
        self.pos = nn.Embedding(160, d)
        self.body = nn.TransformerEncoder(nn.TransformerEncoderLayer(d, nhead, 64, 0.0, batch_first=True), layers, enable_nested_tensor=False)
        self.lm = nn.Linear(d, len(AA))

    def forward(self, residues):
        pad = residues == PAD
        x = self.emb(residues) + self.pos(torch.arange(residues.size(1), device=residues.device))
        return self.lm(self.body(x, src_key_padding_mask=pad))


def mask_residues(residues, p, generator):
    can = residues != PAD
    chosen = (torch.rand(residues.shape, generator=generator) < p) & can
    labels = residues.masked_fill(~chosen, -100)
    return residues.masked_fill(chosen, MASK), labels


if __name__ == "__main__":
    torch.manual_seed(0)
    g = torch.Generator().manual_seed(0)
    seqs = ["EVQLVESGGGLVQPGGSLRLSCAAS", "DIQMTQSPSSLSASVGDRVT"]
    width = max(map(len, seqs))
    residues = torch.tensor([[AA.index(a) for a in s] + [PAD] * (width - len(s)) for s in seqs])
    corrupted, labels = mask_residues(residues, 0.3, g)
    model = Encoder()
    logits = model(corrupted)
    loss = F.cross_entropy(logits.reshape(-1, len(AA)), labels.reshape(-1), ignore_index=-100)
    print("mlm loss", round(loss.item(), 5))
