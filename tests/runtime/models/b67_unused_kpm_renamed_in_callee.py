"""Buggy: a protein-family classifier builds its padding mask in the training script and hands it
to the model, whose attention block takes it under another name and never passes it on: every
residue attends to the padded positions of shorter sequences."""
import torch
import torch.nn as nn
import torch.nn.functional as F

KIND = "buggy"
PAD = 0


class ResidueBlock(nn.Module):
    def __init__(self, dim=16, heads=2):
        super().__init__()
        self.attn = nn.MultiheadAttention(dim, heads, dropout=0.1, batch_first=True)
        self.norm = nn.LayerNorm(dim)

    def forward(self, h, keep):
        out, _ = self.attn(h, h, h, need_weights=False)  # expect: ML504
        return self.norm(h + out)


class FamilyClassifier(nn.Module):
    def __init__(self, vocab=25, dim=16, classes=4):
        super().__init__()
        self.emb = nn.Embedding(vocab, dim, padding_idx=PAD)
        self.block = ResidueBlock(dim)
        self.head = nn.Linear(dim, classes)

    def forward(self, residues, keep):
        h = self.block(self.emb(residues), keep)
        pooled = (h * keep[..., None]).sum(1) / keep.sum(1, keepdim=True)
        return self.head(pooled)


def run():
    torch.manual_seed(0)
    residues = torch.randint(1, 25, (3, 7))
    residues[1, 5:] = PAD
    residues[2, 3:] = PAD
    residue_mask = residues != PAD
    model = FamilyClassifier()
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    loss = F.cross_entropy(model(residues, residue_mask), torch.tensor([0, 1, 3]))
    loss.backward()
    opt.step()
    model.eval()
    with torch.no_grad():
        return [loss.detach(), model(residues, residue_mask)]
