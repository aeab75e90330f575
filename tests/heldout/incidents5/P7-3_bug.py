"""Bucketed (length-grouped) cross-attention reader trained through a Lightning-style module."""
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


class BucketReader(LightningModule):
    def __init__(self, dim=32, heads=4, bucket_size=4, lr=1e-3):
        super().__init__()
        self.save_hyperparameters(dim=dim, heads=heads, bucket_size=bucket_size, lr=lr)
        self.attn = nn.MultiheadAttention(dim, heads, batch_first=True)
        self.out = nn.Linear(dim, 1)

    def bucket_mask(self, q_len, k_len, doc_lens):
        """Queries in bucket i may only read keys from bucket i of the same document."""
        bs = self.hparams.bucket_size
        qb = torch.arange(q_len) // bs
        kb = torch.arange(k_len) // bs
        same = qb[:, None] == kb[None, :]
        valid_k = torch.arange(k_len)[None, :] < doc_lens[:, None]
        allowed = same[None] & valid_k[:, None, :]
        return (~allowed).repeat_interleave(self.hparams.heads, dim=0)  # BUG

    def forward(self, queries, doc, doc_lens):
        mask = self.bucket_mask(queries.shape[1], doc.shape[1], doc_lens)
        h, _ = self.attn(queries, doc, doc, attn_mask=mask)  # BUG
        return self.out(h).squeeze(-1)

    def training_step(self, batch, batch_idx):
        pred = self(batch["queries"], batch["doc"], batch["doc_lens"])
        loss = F.mse_loss(pred, batch["target"])
        self.log("train_loss", loss)
        return loss


if __name__ == "__main__":
    torch.manual_seed(0)
    m = BucketReader()
    batch = {"queries": torch.randn(2, 12, 32), "doc": torch.randn(2, 12, 32, requires_grad=True),
             "doc_lens": torch.tensor([12, 6]), "target": torch.randn(2, 12)}
    loss = m.training_step(batch, 0)
    loss.backward()
    print("loss finite:", torch.isfinite(loss).item(),
          "grads finite:", all(torch.isfinite(p.grad).all().item() for p in m.parameters()))
