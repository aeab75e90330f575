"""Protein residue-residue contact prediction head."""
import torch
import torch.nn as nn
import torch.nn.functional as F

AA = "ACDEFGHIKLMNPQRSTVWY"


class ContactHead(nn.Module):
    def __init__(self, d=32, min_separation=6):
        super().__init__()
        self.min_sep = min_separation
        self.proj = nn.Linear(d, d)
        self.bias = nn.Parameter(torch.zeros(1))

    def forward(self, h):
        L = h.size(1)
        z = self.proj(h)
        logits = z @ z.transpose(1, 2) / z.size(-1) ** 0.5 + self.bias
        near = torch.triu(torch.ones(L, L, dtype=torch.bool, device=h.device), -self.min_sep + 1) & torch.tril(
            torch.ones(L, L, dtype=torch.bool, device=h.device), self.min_sep - 1
        )
        return logits.masked_fill(near, -1e4), ~near


class ContactModel(nn.Module):
    def __init__(self, d=32):
        super().__init__()
        self.emb = nn.Embedding(len(AA), d)
        self.trunk = nn.TransformerEncoder(nn.TransformerEncoderLayer(d, 4, 64, 0.0, batch_first=True), 2, enable_nested_tensor=False)
        self.head = ContactHead(d)

    def forward(self, seq):
        return self.head(self.trunk(self.emb(seq)))


if __name__ == "__main__":
    torch.manual_seed(0)
    seq = torch.tensor([[AA.index(a) for a in "MKTAYIAKQRQISFVKSHFSRQ"]])
    logits, valid = ContactModel()(seq)
    target = (torch.rand(logits.shape) < 0.1).float()
    loss = F.binary_cross_entropy_with_logits(logits[:, valid], target[:, valid])
    print("bce", round(loss.item(), 5), "pairs", int(valid.sum()))
