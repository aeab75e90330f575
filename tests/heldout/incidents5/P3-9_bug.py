"""Query-to-document re-ranker with a Lightning-style training module."""
from types import SimpleNamespace

import torch
import torch.nn as nn
import torch.nn.functional as F


class LightningModule(nn.Module):
    def __init__(self):
        super().__init__()
        self.hparams = SimpleNamespace()

    def save_hyperparameters(self, **kw):
        self.hparams.__dict__.update(kw)

    def log(self, *a, **k):
        pass


class CrossAttentionReranker(LightningModule):
    def __init__(self, vocab=200, dim=32, heads=4, pad_id=0, lr=1e-3):
        super().__init__()
        self.save_hyperparameters(vocab=vocab, dim=dim, heads=heads, pad_id=pad_id, lr=lr)
        self.embed = nn.Embedding(vocab, dim, padding_idx=pad_id)
        self.cross = nn.MultiheadAttention(dim, heads)  # BUG
        self.score = nn.Linear(dim, 1)

    def forward(self, query_ids, doc_ids):
        q = self.embed(query_ids)
        d = self.embed(doc_ids)
        doc_pad = doc_ids == self.hparams.pad_id
        h, _ = self.cross(q, d, d, key_padding_mask=doc_pad)  # BUG
        q_keep = (query_ids != self.hparams.pad_id).unsqueeze(-1).float()
        return self.score((h * q_keep).sum(1) / q_keep.sum(1)).squeeze(-1)

    def collate_fn(self, rows):
        def pad(seqs):
            L = max(len(s) for s in seqs)
            return torch.tensor([s + [self.hparams.pad_id] * (L - len(s)) for s in seqs])

        return {"query_ids": pad([r["q"] for r in rows]), "doc_ids": pad([r["d"] for r in rows]),
                "label": torch.tensor([float(r["rel"]) for r in rows])}

    def training_step(self, batch, batch_idx):
        logits = self(batch["query_ids"], batch["doc_ids"])
        loss = F.binary_cross_entropy_with_logits(logits, batch["label"])
        self.log("train_loss", loss)
        return loss

    @torch.no_grad()
    def validation_step(self, batch, batch_idx):
        return self(batch["query_ids"], batch["doc_ids"])


if __name__ == "__main__":
    torch.manual_seed(0)
    m = CrossAttentionReranker().eval()
    rows = [{"q": [5, 6, 7], "d": [9, 10, 11], "rel": 1}, {"q": [8, 9, 10], "d": [12, 13, 14], "rel": 0},
            {"q": [11, 12, 13], "d": [15, 16, 17], "rel": 1}]
    full = m.validation_step(m.collate_fn(rows), 0)
    solo = m.validation_step(m.collate_fn(rows[:1]), 0)
    print("rows independent:", torch.allclose(full[:1], solo, atol=1e-5))
