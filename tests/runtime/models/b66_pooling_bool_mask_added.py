"""Buggy: attention pooling over (N, T) logits with the padding mask (True = pad) added to them:
a bool adds 1 where True and 0 elsewhere, so padding gets more weight, not none."""
import torch
import torch.nn as nn

KIND = "buggy"
PAD = 0


class Pool(nn.Module):
    def __init__(self, vocab=20, d=16):
        super().__init__()
        self.emb = nn.Embedding(vocab, d, padding_idx=PAD)
        self.query = nn.Parameter(torch.randn(d))
        self.key = nn.Linear(d, d)

    def forward(self, ids):
        x = self.emb(ids)
        pad = ids == PAD
        logits = torch.einsum("d,btd->bt", self.query, self.key(x)) / x.size(-1) ** 0.5
        weights = (logits + pad).softmax(-1)  # expect: ML202
        return torch.einsum("bt,btd->bd", weights, x)


def run():
    torch.manual_seed(0)
    model = Pool()
    ids = torch.tensor([[3, 4, 5, 0, 0], [6, 7, 8, 9, 1]])
    out = model(ids)
    out.sum().backward()
    with torch.no_grad():
        ev = model.eval()(ids)
    return out.detach(), ev
